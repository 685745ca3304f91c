import { CustomerProfilesClient, ListDomainsCommand } from '@aws-sdk/client-customer-profiles';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { ListDatasetGroupsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { connect } from 'node:http2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EstateFixtures, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { signedFetch } from '../helpers/sigv4.js';

/*
 * The discovery operations (Customer Profiles ListDomains, Personalize ListDatasetGroups) and Kinesis
 * DescribeStreamSummary, through the real SDK clients, in the account of the credentials that sign them.
 */

const FIRST = '111111111111';
const SECOND = '222222222222';
const NOW = new Date('2024-06-01T12:00:00Z');
const LONG_TERM = { accessKeyId: 'test', secretAccessKey: 'test' };
type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const group = (name: string, extra: Record<string, string> = {}) => ({
  name,
  creationDateTime: '2024-02-01T00:00:00Z',
  ...extra,
});

function fixtures(): EstateFixtures {
  return {
    accounts: {
      [FIRST]: {
        regions: {
          'us-east-1': {
            customerProfiles: {
              domains: [
                {
                  DomainName: 'retail',
                  CreatedAt: '2023-01-01T00:00:00Z',
                  LastUpdatedAt: '2023-06-01T00:00:00Z',
                  Tags: { team: 'crm' },
                },
                {
                  DomainName: 'support',
                  eventStreams: [
                    {
                      EventStreamName: 'cases',
                      CreatedAt: '2024-03-01T00:00:00Z',
                      State: 'RUNNING',
                      DestinationDetails: { Uri: `arn:aws:kinesis:us-east-1:${FIRST}:stream/cases`, Status: 'HEALTHY' },
                    },
                    {
                      EventStreamName: 'older',
                      CreatedAt: '2024-02-01T00:00:00Z',
                      State: 'RUNNING',
                      DestinationDetails: { Uri: `arn:aws:kinesis:us-east-1:${FIRST}:stream/older`, Status: 'HEALTHY' },
                    },
                  ],
                },
                { DomainName: 'empty' },
              ],
            },
            personalize: {
              datasetGroups: [
                group('recs', { domain: 'ECOMMERCE' }),
                group('broken', {
                  status: 'CREATE FAILED',
                  failureReason: 'KMS key not accessible',
                  roleArn: `arn:aws:iam::${FIRST}:role/p`,
                }),
                group('third'),
              ],
            },
            kinesis: {
              streams: [
                {
                  StreamName: 'cases',
                  StreamStatus: 'ACTIVE',
                  StreamModeDetails: { StreamMode: 'ON_DEMAND' },
                  RetentionPeriodHours: 24,
                  StreamCreationTimestamp: '2024-02-28T10:00:00Z',
                  EncryptionType: 'KMS',
                  KeyId: 'alias/aws/kinesis',
                  OpenShardCount: 4,
                  ConsumerCount: 2,
                },
              ],
            },
          },
        },
      },
      [SECOND]: {
        regions: {
          'us-east-1': {
            personalize: { datasetGroups: [group('second-recs')] },
            kinesis: {
              streams: [
                {
                  StreamName: 'cases',
                  StreamStatus: 'UPDATING',
                  StreamModeDetails: { StreamMode: 'PROVISIONED' },
                  RetentionPeriodHours: 168,
                  StreamCreationTimestamp: '2024-01-01T00:00:00Z',
                  EnhancedMonitoring: [{ ShardLevelMetrics: ['IncomingBytes', 'OutgoingBytes'] }],
                  EncryptionType: 'NONE',
                  OpenShardCount: 1,
                  ConsumerCount: 0,
                },
              ],
            },
          },
          'eu-west-1': { customerProfiles: { domains: [{ DomainName: 'eu-domain' }] } },
        },
      },
    },
  };
}

let emulator: RunningEmulator;
let second: Credentials;
const clients: Array<{ destroy(): void }> = [];

function track<T extends { destroy(): void }>(client: T): T {
  clients.push(client);
  return client;
}
const config = (credentials: Credentials, region: string) => ({
  endpoint: emulator.url,
  region,
  credentials,
  maxAttempts: 1,
});
const profiles = (credentials = LONG_TERM, region = 'us-east-1') =>
  track(new CustomerProfilesClient(config(credentials, region)));
const personalize = (credentials = LONG_TERM, region = 'us-east-1') =>
  track(new PersonalizeClient(config(credentials, region)));
const kinesis = (credentials = LONG_TERM, region = 'us-east-1') =>
  track(new KinesisClient(config(credentials, region)));

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixtures: fixtures(), now: () => NOW });
  const sts = track(new STSClient(config(LONG_TERM, 'us-east-1')));
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${SECOND}:role/Reader`, RoleSessionName: 'tests' }),
  );
  const c = out.Credentials!;
  second = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
});

beforeEach(() => {
  emulator.clearFaults();
  emulator.reset();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await emulator.close();
});

describe('Customer Profiles ListDomains', () => {
  it("lists the caller's domains of the region, in fixture order, with their dates and tags", async () => {
    const out = await profiles().send(new ListDomainsCommand({}));
    expect(out.Items).toEqual([
      {
        DomainName: 'retail',
        CreatedAt: new Date('2023-01-01T00:00:00Z'),
        LastUpdatedAt: new Date('2023-06-01T00:00:00Z'),
        Tags: { team: 'crm' },
      },
      // Undated domains take their earliest stream's CreatedAt, or the default without streams.
      {
        DomainName: 'support',
        CreatedAt: new Date('2024-02-01T00:00:00Z'),
        LastUpdatedAt: new Date('2024-02-01T00:00:00Z'),
      },
      {
        DomainName: 'empty',
        CreatedAt: new Date('2024-01-01T00:00:00Z'),
        LastUpdatedAt: new Date('2024-01-01T00:00:00Z'),
      },
    ]);
    expect(out.NextToken).toBeUndefined();
  });

  it('pages with max-results and next-token', async () => {
    const first = await profiles().send(new ListDomainsCommand({ MaxResults: 2 }));
    expect(first.Items!.map((d) => d.DomainName)).toEqual(['retail', 'support']);
    const rest = await profiles().send(new ListDomainsCommand({ MaxResults: 2, NextToken: first.NextToken }));
    expect(rest.Items!.map((d) => d.DomainName)).toEqual(['empty']);
    expect(rest.NextToken).toBeUndefined();
  });

  it("serves another account's domains to its role, per region", async () => {
    expect((await profiles(second).send(new ListDomainsCommand({}))).Items).toEqual([]);
    const eu = await profiles(second, 'eu-west-1').send(new ListDomainsCommand({}));
    expect(eu.Items!.map((d) => d.DomainName)).toEqual(['eu-domain']);
  });

  it('refuses max-results outside 1..100 and foreign tokens with BadRequestException', async () => {
    const big = await failure(profiles().send(new ListDomainsCommand({ MaxResults: 101 })));
    expect(big.name).toBe('BadRequestException');
    expect(big.$metadata.httpStatusCode).toBe(400);
    // A token of the first account is not the second account's.
    const token = (await profiles().send(new ListDomainsCommand({ MaxResults: 1 }))).NextToken;
    const foreign = await failure(profiles(second).send(new ListDomainsCommand({ NextToken: token })));
    expect(foreign.name).toBe('BadRequestException');
  });
});

describe('Personalize ListDatasetGroups', () => {
  it('lists summaries (no roleArn or kmsKeyArn), with failureReason and domain', async () => {
    const out = await personalize().send(new ListDatasetGroupsCommand({}));
    expect(out.datasetGroups).toEqual([
      {
        name: 'recs',
        datasetGroupArn: `arn:aws:personalize:us-east-1:${FIRST}:dataset-group/recs`,
        status: 'ACTIVE',
        creationDateTime: new Date('2024-02-01T00:00:00Z'),
        lastUpdatedDateTime: new Date('2024-02-01T00:00:00Z'),
        domain: 'ECOMMERCE',
      },
      {
        name: 'broken',
        datasetGroupArn: `arn:aws:personalize:us-east-1:${FIRST}:dataset-group/broken`,
        status: 'CREATE FAILED',
        creationDateTime: new Date('2024-02-01T00:00:00Z'),
        lastUpdatedDateTime: new Date('2024-02-01T00:00:00Z'),
        failureReason: 'KMS key not accessible',
      },
      {
        name: 'third',
        datasetGroupArn: `arn:aws:personalize:us-east-1:${FIRST}:dataset-group/third`,
        status: 'ACTIVE',
        creationDateTime: new Date('2024-02-01T00:00:00Z'),
        lastUpdatedDateTime: new Date('2024-02-01T00:00:00Z'),
      },
    ]);
  });

  it('pages; a bad token is InvalidNextTokenException, maxResults 0 InvalidInputException', async () => {
    const first = await personalize().send(new ListDatasetGroupsCommand({ maxResults: 2 }));
    expect(first.datasetGroups!.map((g) => g.name)).toEqual(['recs', 'broken']);
    const rest = await personalize().send(new ListDatasetGroupsCommand({ nextToken: first.nextToken }));
    expect(rest.datasetGroups!.map((g) => g.name)).toEqual(['third']);
    expect((await failure(personalize().send(new ListDatasetGroupsCommand({ nextToken: 'garbage' })))).name).toBe(
      'InvalidNextTokenException',
    );
    expect((await failure(personalize().send(new ListDatasetGroupsCommand({ maxResults: 0 })))).name).toBe(
      'InvalidInputException',
    );
  });

  it("serves the second account's groups to its role", async () => {
    const out = await personalize(second).send(new ListDatasetGroupsCommand({}));
    expect(out.datasetGroups!.map((g) => g.datasetGroupArn)).toEqual([
      `arn:aws:personalize:us-east-1:${SECOND}:dataset-group/second-recs`,
    ]);
  });
});

describe('Kinesis DescribeStreamSummary', () => {
  it('describes a stream by name with exactly the StreamDescriptionSummary members', async () => {
    const out = await kinesis().send(new DescribeStreamSummaryCommand({ StreamName: 'cases' }));
    expect(out.StreamDescriptionSummary).toEqual({
      StreamName: 'cases',
      StreamARN: `arn:aws:kinesis:us-east-1:${FIRST}:stream/cases`,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      RetentionPeriodHours: 24,
      StreamCreationTimestamp: new Date('2024-02-28T10:00:00Z'),
      // What AWS sends for a stream without enhanced monitoring.
      EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
      EncryptionType: 'KMS',
      KeyId: 'alias/aws/kinesis',
      OpenShardCount: 4,
      ConsumerCount: 2,
    });
  });

  it("describes by StreamARN in the ARN's account, for that account's role", async () => {
    const arn = `arn:aws:kinesis:us-east-1:${SECOND}:stream/cases`;
    const out = await kinesis(second).send(new DescribeStreamSummaryCommand({ StreamARN: arn }));
    expect(out.StreamDescriptionSummary).toMatchObject({
      StreamARN: arn,
      StreamStatus: 'UPDATING',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 168,
      EnhancedMonitoring: [{ ShardLevelMetrics: ['IncomingBytes', 'OutgoingBytes'] }],
      EncryptionType: 'NONE',
      OpenShardCount: 1,
      ConsumerCount: 0,
    });
    expect(out.StreamDescriptionSummary!.KeyId).toBeUndefined();
  });

  it('is AccessDeniedException for a stream ARN of another account', async () => {
    const error = await failure(
      kinesis().send(
        new DescribeStreamSummaryCommand({ StreamARN: `arn:aws:kinesis:us-east-1:${SECOND}:stream/cases` }),
      ),
    );
    expect(error.name).toBe('AccessDeniedException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('is ResourceNotFoundException (400) for an unknown stream, or one of another region', async () => {
    for (const input of [{ StreamName: 'missing' }, { StreamARN: `arn:aws:kinesis:eu-west-1:${FIRST}:stream/cases` }]) {
      const error = await failure(kinesis().send(new DescribeStreamSummaryCommand(input)));
      expect(error.name).toBe('ResourceNotFoundException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
    const error = await failure(kinesis().send(new DescribeStreamSummaryCommand({ StreamName: 'missing' })));
    expect(error.message).toBe(`Stream missing under account ${FIRST} not found.`);
  });

  it('is InvalidArgumentException without a name or ARN, for a bad name, or a name and ARN that differ', async () => {
    for (const input of [
      {},
      { StreamName: 'bad name' },
      { StreamName: 'other', StreamARN: `arn:aws:kinesis:us-east-1:${FIRST}:stream/cases` },
    ]) {
      const error = await failure(kinesis().send(new DescribeStreamSummaryCommand(input)));
      expect(error.name).toBe('InvalidArgumentException');
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('answers in the awsJson1_1 wire format, the timestamp in epoch seconds', async () => {
    const res = await signedFetch(emulator.url, {
      service: 'kinesis',
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'Kinesis_20131202.DescribeStreamSummary',
      },
      body: JSON.stringify({ StreamName: 'cases' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    const body = await res.json();
    expect(body.StreamDescriptionSummary.StreamCreationTimestamp).toBe(Date.parse('2024-02-28T10:00:00Z') / 1000);
  });

  it('throttles with LimitExceededException under a throttle fault, and is counted', async () => {
    emulator.setFaults({ rules: [{ service: 'kinesis', operation: 'DescribeStreamSummary', throttleRate: 1 }] });
    const error = await failure(kinesis().send(new DescribeStreamSummaryCommand({ StreamName: 'cases' })));
    expect(error.name).toBe('LimitExceededException');
    expect(emulator.stats().byAccount).toEqual({ [FIRST]: { 'kinesis:DescribeStreamSummary': 1 } });
  });
});

describe('one port for HTTP/1.1 and HTTP/2', () => {
  // The Kinesis client connects to an http:// endpoint with HTTP/2 "prior knowledge"; the tests above use it.
  it('answers a cleartext HTTP/2 request and an HTTP/1.1 one on the same port', async () => {
    const session = connect(emulator.url);
    try {
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const stream = session.request({ ':path': '/_emulator/health', ':method': 'GET' });
        let status = 0;
        let body = '';
        stream.on('response', (headers) => {
          status = Number(headers[':status']);
        });
        stream.setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          body += chunk;
        });
        stream.on('end', () => resolve({ status, body }));
        stream.on('error', reject);
        stream.end();
      });
      expect(status).toBe(200);
      expect(JSON.parse(body)).toEqual({ status: 'ok' });
    } finally {
      session.close();
    }
    const http1 = await fetch(`${emulator.url}/_emulator/health`);
    expect(await http1.json()).toEqual({ status: 'ok' });
  });
});
