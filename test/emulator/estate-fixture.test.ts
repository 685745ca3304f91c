import { CustomerProfilesClient, ListDomainsCommand, ListEventStreamsCommand } from '@aws-sdk/client-customer-profiles';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { ListDatasetGroupsCommand, ListEventTrackersCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EstateFixtures,
  isEstateFixtures,
  loadFixturesFile,
  type RunningEmulator,
  startEmulator,
} from '../../src/emulator/index.js';

/*
 * test/fixtures/estate.json, the estate the gateway's tests and demos can start the emulator with: two accounts (the
 * first owning the long-term credentials, the second reached with its EstateReader role) in two regions each.
 */

const FILE = new URL('../fixtures/estate.json', import.meta.url).pathname;
const FIRST = '111111111111';
const SECOND = '222222222222';
const REGIONS = ['us-east-1', 'eu-west-1'];
const KINESIS_ARN = /^arn:aws:kinesis:([a-z0-9-]+):(\d{12}):stream\/(.+)$/;
type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

const loaded = loadFixturesFile(FILE);
const estate = loaded as EstateFixtures;
const LONG_TERM: Credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let emulator: RunningEmulator;
let member: Credentials;
const clients: Array<{ destroy(): void }> = [];

function client<T extends { destroy(): void }>(
  Client: new (config: object) => T,
  credentials: Credentials,
  region: string,
): T {
  const made = new Client({ endpoint: emulator.url, region, credentials, maxAttempts: 1 });
  clients.push(made);
  return made;
}

const credentialsOf = (account: string) => (account === FIRST ? LONG_TERM : member);

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixtures: loaded });
  const out = await client(STSClient, LONG_TERM, 'us-east-1').send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${SECOND}:role/EstateReader`, RoleSessionName: 'estate' }),
  );
  const c = out.Credentials!;
  member = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await emulator.close();
});

describe('test/fixtures/estate.json', () => {
  it('is the estate form: two accounts, the first owning the long-term credentials, two regions each', async () => {
    expect(isEstateFixtures(loaded)).toBe(true);
    expect(Object.keys(estate.accounts)).toEqual([FIRST, SECOND]);
    for (const account of Object.values(estate.accounts)) expect(Object.keys(account.regions)).toEqual(REGIONS);
    expect(estate.accounts[SECOND]!.roles).toEqual(['EstateReader']);
    expect((await client(STSClient, LONG_TERM, 'us-east-1').send(new GetCallerIdentityCommand({}))).Account).toBe(
      FIRST,
    );
    expect((await client(STSClient, member, 'us-east-1').send(new GetCallerIdentityCommand({}))).Account).toBe(SECOND);
  });

  it("points all destinations but one at a Kinesis stream of the domain's account and region", async () => {
    const notKinesis: string[] = [];
    for (const account of [FIRST, SECOND]) {
      for (const region of REGIONS) {
        const credentials = credentialsOf(account);
        const domains = (await client(CustomerProfilesClient, credentials, region).send(new ListDomainsCommand({})))
          .Items!;
        expect(domains.length).toBeGreaterThanOrEqual(1);
        for (const { DomainName } of domains) {
          const streams = await client(CustomerProfilesClient, credentials, region).send(
            new ListEventStreamsCommand({ DomainName }),
          );
          for (const stream of streams.Items!) {
            const uri = stream.DestinationSummary!.Uri!;
            const match = KINESIS_ARN.exec(uri);
            if (!match) {
              notKinesis.push(uri);
              continue;
            }
            expect([match[1], match[2]]).toEqual([region, account]);
            const summary = await client(KinesisClient, credentials, region).send(
              new DescribeStreamSummaryCommand({ StreamARN: uri }),
            );
            expect(summary.StreamDescriptionSummary!.StreamARN).toBe(uri);
          }
        }
      }
    }
    expect(notKinesis).toEqual(['arn:aws:s3:::partner-audit-archive']);
  });

  it('has an unhealthy event stream in each account', async () => {
    for (const account of [FIRST, SECOND]) {
      let unhealthy = 0;
      for (const region of REGIONS) {
        const profiles = client(CustomerProfilesClient, credentialsOf(account), region);
        for (const { DomainName } of (await profiles.send(new ListDomainsCommand({}))).Items!) {
          const { Items } = await profiles.send(new ListEventStreamsCommand({ DomainName }));
          unhealthy += Items!.filter((s) => s.DestinationSummary!.Status === 'UNHEALTHY').length;
        }
      }
      expect(unhealthy).toBeGreaterThanOrEqual(1);
    }
  });

  it('has dataset groups with their trackers in every account and region', async () => {
    for (const account of [FIRST, SECOND]) {
      for (const region of REGIONS) {
        const personalize = client(PersonalizeClient, credentialsOf(account), region);
        const groups = (await personalize.send(new ListDatasetGroupsCommand({}))).datasetGroups!;
        expect(groups.length).toBeGreaterThanOrEqual(1);
        const tracked = await Promise.all(
          groups.map(async (g) => {
            const out = await personalize.send(new ListEventTrackersCommand({ datasetGroupArn: g.datasetGroupArn }));
            return out.eventTrackers!.length;
          }),
        );
        expect(tracked.some((n) => n === 1)).toBe(true);
        for (const g of groups) expect(g.datasetGroupArn).toContain(`:${region}:${account}:`);
      }
    }
  });
});
