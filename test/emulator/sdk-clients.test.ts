import {
  CustomerProfilesClient,
  GetEventStreamCommand,
  ListEventStreamsCommand,
  type ListEventStreamsCommandOutput,
} from '@aws-sdk/client-customer-profiles';
import {
  DescribeDatasetGroupCommand,
  DescribeEventTrackerCommand,
  ListEventTrackersCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { InternetMonitorClient } from '@aws-sdk/client-internetmonitor';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadFixturesFile, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { GetInternetEventCommand, ListInternetEventsCommand } from '../../src/modules/internet-monitor/commands.js';
import { type SignedFetchRequest, signedFetch as signedFetchTo } from '../helpers/sigv4.js';

const FIXTURES = new URL('../fixtures/emulator-small.json', import.meta.url).pathname;
const ACCOUNT = '444455556666';
const NOW = new Date('2024-06-01T00:00:00Z');
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STOREFRONT_STREAMS = ['orders', 'clicks', 'returns', 'refunds', 'reviews'];
const ALL_EVENTS_UNTIL_NOW = [
  'event-1-active-perf',
  'event-2-resolved-avail',
  'event-3-resolved-perf',
  'event-4-active-avail',
  'event-5-resolved-perf',
];
const shopGroupArn = `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/shop-recs`;
const trackerArn = (name: string, region = 'us-east-1') =>
  `arn:aws:personalize:${region}:${ACCOUNT}:event-tracker/${name}`;

let emulator: RunningEmulator;
const clients: Array<{ destroy(): void }> = [];

// maxAttempts 1: the tests see each raw error, and call counts are not inflated by retries.
function config(region: string, credentials = CREDENTIALS) {
  return { endpoint: emulator.url, region, credentials, maxAttempts: 1 };
}
function profiles(region = 'us-east-1', credentials = CREDENTIALS) {
  const client = new CustomerProfilesClient(config(region, credentials));
  clients.push(client);
  return client;
}
function personalize(region = 'us-east-1', credentials = CREDENTIALS) {
  const client = new PersonalizeClient(config(region, credentials));
  clients.push(client);
  return client;
}
function internetMonitor(region = 'us-east-1') {
  const client = new InternetMonitorClient(config(region));
  clients.push(client);
  return client;
}

/** The rejection of a promise, for asserting on AWS error fields. */
async function failure(promise: Promise<unknown>): Promise<{
  name: string;
  message: string;
  $fault?: string;
  $metadata: { httpStatusCode?: number; requestId?: string };
}> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}

/** A signed request to this file's emulator. */
const signedFetch = (request: SignedFetchRequest) => signedFetchTo(emulator.url, request);

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixtures: loadFixturesFile(FIXTURES), now: () => NOW });
});

beforeEach(() => {
  emulator.clearFaults();
  emulator.reset();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await emulator.close();
});

describe('Customer Profiles', () => {
  it('GetEventStream returns every output member with timestamps as Dates', async () => {
    const out = await profiles().send(
      new GetEventStreamCommand({ DomainName: 'storefront', EventStreamName: 'orders' }),
    );
    expect(out).toMatchObject({
      DomainName: 'storefront',
      EventStreamArn: `arn:aws:profile:us-east-1:${ACCOUNT}:domains/storefront/event-streams/orders`,
      CreatedAt: new Date('2024-03-01T12:00:00Z'),
      State: 'RUNNING',
      DestinationDetails: {
        Uri: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/orders-kds`,
        Status: 'HEALTHY',
        Message: 'Delivering records',
      },
      Tags: { team: 'checkout', env: 'prod' },
    });
    expect(out.StoppedSince).toBeUndefined();
    expect(out.$metadata.requestId).toMatch(UUID);
  });

  it('GetEventStream keeps fractional seconds, offsets, StoppedSince and UnhealthySince', async () => {
    const out = await profiles().send(
      new GetEventStreamCommand({ DomainName: 'storefront', EventStreamName: 'clicks' }),
    );
    expect(out.CreatedAt).toEqual(new Date('2024-01-15T09:30:00.250Z'));
    expect(out.StoppedSince).toEqual(new Date('2024-04-01T22:00:00Z'));
    expect(out.State).toBe('STOPPED');
    expect(out.DestinationDetails).toEqual({
      Uri: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/clicks-kds`,
      Status: 'UNHEALTHY',
      UnhealthySince: new Date('2024-04-01T23:00:00Z'),
      Message: 'Kinesis stream clicks-kds was deleted',
    });
  });

  it('GetEventStream serves an ARN given in the fixture instead of deriving one', async () => {
    const out = await profiles().send(
      new GetEventStreamCommand({ DomainName: 'storefront', EventStreamName: 'clicks' }),
    );
    expect(out.EventStreamArn).toBe(
      `arn:aws:profile:us-east-1:${ACCOUNT}:domains/storefront/event-streams/clicks-custom`,
    );
  });

  it('ListEventStreams summaries carry only the summary members', async () => {
    const out = await profiles().send(new ListEventStreamsCommand({ DomainName: 'storefront', MaxResults: 2 }));
    expect(out.Items).toEqual([
      {
        DomainName: 'storefront',
        EventStreamName: 'orders',
        EventStreamArn: `arn:aws:profile:us-east-1:${ACCOUNT}:domains/storefront/event-streams/orders`,
        State: 'RUNNING',
        DestinationSummary: { Uri: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/orders-kds`, Status: 'HEALTHY' },
        Tags: { team: 'checkout', env: 'prod' },
      },
      {
        DomainName: 'storefront',
        EventStreamName: 'clicks',
        EventStreamArn: `arn:aws:profile:us-east-1:${ACCOUNT}:domains/storefront/event-streams/clicks-custom`,
        State: 'STOPPED',
        StoppedSince: new Date('2024-04-01T22:00:00Z'),
        DestinationSummary: {
          Uri: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/clicks-kds`,
          Status: 'UNHEALTHY',
          UnhealthySince: new Date('2024-04-01T23:00:00Z'),
        },
      },
    ]);
  });

  it.each([1, 2, 3, 4, 5, 100])(
    'ListEventStreams pages through every stream in fixture order with MaxResults %i',
    async (maxResults) => {
      const client = profiles();
      const names: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page: ListEventStreamsCommandOutput = await client.send(
          new ListEventStreamsCommand({ DomainName: 'storefront', MaxResults: maxResults, NextToken: token }),
        );
        expect(page.Items!.length).toBeLessThanOrEqual(maxResults);
        names.push(...page.Items!.map((i) => i.EventStreamName!));
        token = page.NextToken;
        pages += 1;
      } while (token);
      expect(names).toEqual(STOREFRONT_STREAMS);
      expect(pages).toBe(Math.ceil(STOREFRONT_STREAMS.length / maxResults));
    },
  );

  it('ListEventStreams without MaxResults returns a full page and no token', async () => {
    const out = await profiles().send(new ListEventStreamsCommand({ DomainName: 'storefront' }));
    expect(out.Items!.map((i) => i.EventStreamName)).toEqual(STOREFRONT_STREAMS);
    expect(out.NextToken).toBeUndefined();
  });

  it('ListEventStreams of a domain without streams returns an empty list', async () => {
    const out = await profiles().send(new ListEventStreamsCommand({ DomainName: 'empty-domain' }));
    expect(out.Items).toEqual([]);
    expect(out.NextToken).toBeUndefined();
  });

  it('ListEventStreams rejects a garbage token with BadRequestException 400', async () => {
    const error = await failure(
      profiles().send(new ListEventStreamsCommand({ DomainName: 'storefront', NextToken: 'not-a-token' })),
    );
    expect(error.name).toBe('BadRequestException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it("ListEventStreams rejects another domain's token with BadRequestException 400", async () => {
    const client = profiles();
    const first = await client.send(new ListEventStreamsCommand({ DomainName: 'storefront', MaxResults: 1 }));
    const error = await failure(
      client.send(new ListEventStreamsCommand({ DomainName: 'empty-domain', NextToken: first.NextToken })),
    );
    expect(error.name).toBe('BadRequestException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it.each([0, 101])('ListEventStreams rejects MaxResults %i with BadRequestException 400', async (maxResults) => {
    const error = await failure(
      profiles().send(new ListEventStreamsCommand({ DomainName: 'storefront', MaxResults: maxResults })),
    );
    expect(error.name).toBe('BadRequestException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain("at 'maxResults'");
  });

  it('GetEventStream rejects a DomainName outside the name pattern with BadRequestException 400', async () => {
    const error = await failure(
      profiles().send(new GetEventStreamCommand({ DomainName: 'bad name!', EventStreamName: 'orders' })),
    );
    expect(error.name).toBe('BadRequestException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toContain('regular expression pattern');
  });

  it('GetEventStream rejects names longer than 64 characters, reporting each member', async () => {
    const error = await failure(
      profiles().send(new GetEventStreamCommand({ DomainName: 'd'.repeat(65), EventStreamName: 's'.repeat(65) })),
    );
    expect(error.name).toBe('BadRequestException');
    expect(error.message).toMatch(/^2 validation errors detected: /);
  });

  it('GetEventStream of an unknown domain is ResourceNotFoundException 404', async () => {
    const error = await failure(
      profiles().send(new GetEventStreamCommand({ DomainName: 'nope', EventStreamName: 'orders' })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('GetEventStream of an unknown stream is ResourceNotFoundException 404', async () => {
    const error = await failure(
      profiles().send(new GetEventStreamCommand({ DomainName: 'storefront', EventStreamName: 'nope' })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('ListEventStreams of an unknown domain is ResourceNotFoundException 404', async () => {
    const error = await failure(profiles().send(new ListEventStreamsCommand({ DomainName: 'nope' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('a domain exists only in its own region', async () => {
    const eu = await profiles('eu-west-1').send(
      new GetEventStreamCommand({ DomainName: 'eu-only', EventStreamName: 'eu-stream' }),
    );
    expect(eu.EventStreamArn).toBe(`arn:aws:profile:eu-west-1:${ACCOUNT}:domains/eu-only/event-streams/eu-stream`);
    const error = await failure(
      profiles('us-east-1').send(new GetEventStreamCommand({ DomainName: 'eu-only', EventStreamName: 'eu-stream' })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
  });
});

describe('Personalize', () => {
  it('DescribeEventTracker returns every EventTracker member with Dates', async () => {
    const out = await personalize().send(
      new DescribeEventTrackerCommand({ eventTrackerArn: trackerArn('shop-events') }),
    );
    expect(out.eventTracker).toEqual({
      name: 'shop-events',
      eventTrackerArn: trackerArn('shop-events'),
      accountId: ACCOUNT,
      trackingId: '11111111-2222-4333-8444-555555555555',
      datasetGroupArn: shopGroupArn,
      status: 'ACTIVE',
      creationDateTime: new Date('2024-01-10T11:00:00Z'),
      lastUpdatedDateTime: new Date('2024-01-10T11:02:30Z'),
    });
  });

  it('DescribeEventTracker fills defaults: a stable trackingId, lastUpdated = created', async () => {
    const out = await personalize().send(
      new DescribeEventTrackerCommand({ eventTrackerArn: trackerArn('video-events') }),
    );
    expect(out.eventTracker!.trackingId).toMatch(UUID);
    expect(out.eventTracker!.status).toBe('CREATE IN_PROGRESS');
    expect(out.eventTracker!.lastUpdatedDateTime).toEqual(out.eventTracker!.creationDateTime);
  });

  it('DescribeEventTracker serves a fixture accountId over the default one', async () => {
    const out = await personalize().send(
      new DescribeEventTrackerCommand({ eventTrackerArn: trackerArn('news-events') }),
    );
    expect(out.eventTracker!.accountId).toBe('999988887777');
  });

  it('ListEventTrackers summaries lack trackingId, accountId and datasetGroupArn', async () => {
    const out = await personalize().send(new ListEventTrackersCommand({}));
    expect(out.eventTrackers![0]).toEqual({
      name: 'shop-events',
      eventTrackerArn: trackerArn('shop-events'),
      status: 'ACTIVE',
      creationDateTime: new Date('2024-01-10T11:00:00Z'),
      lastUpdatedDateTime: new Date('2024-01-10T11:02:30Z'),
    });
    expect(out.eventTrackers!.map((t) => t.name)).toEqual(['shop-events', 'video-events', 'news-events']);
    expect(out.nextToken).toBeUndefined();
  });

  it('ListEventTrackers pages one tracker at a time with maxResults 1', async () => {
    const client = personalize();
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListEventTrackersCommand({ maxResults: 1, nextToken: token }));
      expect(page.eventTrackers).toHaveLength(1);
      names.push(page.eventTrackers![0]!.name!);
      token = page.nextToken;
    } while (token);
    expect(names).toEqual(['shop-events', 'video-events', 'news-events']);
  });

  it('ListEventTrackers filters by datasetGroupArn', async () => {
    const out = await personalize().send(new ListEventTrackersCommand({ datasetGroupArn: shopGroupArn }));
    expect(out.eventTrackers!.map((t) => t.name)).toEqual(['shop-events']);
  });

  it('ListEventTrackers of an unknown dataset group is an empty list', async () => {
    const out = await personalize().send(
      new ListEventTrackersCommand({ datasetGroupArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/none` }),
    );
    expect(out.eventTrackers).toEqual([]);
  });

  it('ListEventTrackers rejects a garbage token with InvalidNextTokenException', async () => {
    const error = await failure(personalize().send(new ListEventTrackersCommand({ nextToken: 'garbage' })));
    expect(error.name).toBe('InvalidNextTokenException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('ListEventTrackers rejects a token from a differently filtered listing', async () => {
    const client = personalize();
    const first = await client.send(new ListEventTrackersCommand({ maxResults: 1 }));
    const error = await failure(
      client.send(new ListEventTrackersCommand({ datasetGroupArn: shopGroupArn, nextToken: first.nextToken })),
    );
    expect(error.name).toBe('InvalidNextTokenException');
  });

  it('ListEventTrackers rejects maxResults 101 with InvalidInputException', async () => {
    const error = await failure(personalize().send(new ListEventTrackersCommand({ maxResults: 101 })));
    expect(error.name).toBe('InvalidInputException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('DescribeEventTracker rejects an ARN outside the pattern with InvalidInputException', async () => {
    const error = await failure(
      personalize().send(new DescribeEventTrackerCommand({ eventTrackerArn: 'arn:aws:s3:::bucket' })),
    );
    expect(error.name).toBe('InvalidInputException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('DescribeEventTracker rejects an ARN longer than 256 characters with InvalidInputException', async () => {
    const error = await failure(
      personalize().send(new DescribeEventTrackerCommand({ eventTrackerArn: trackerArn('x'.repeat(250)) })),
    );
    expect(error.name).toBe('InvalidInputException');
    expect(error.message).toContain('less than or equal to 256');
  });

  it('DescribeEventTracker of an unknown tracker is ResourceNotFoundException sent with HTTP 400', async () => {
    const error = await failure(
      personalize().send(new DescribeEventTrackerCommand({ eventTrackerArn: trackerArn('nope') })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('DescribeDatasetGroup returns every DatasetGroup member', async () => {
    const out = await personalize().send(
      new DescribeDatasetGroupCommand({
        datasetGroupArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/video-recs`,
      }),
    );
    expect(out.datasetGroup).toEqual({
      name: 'video-recs',
      datasetGroupArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/video-recs`,
      status: 'CREATE FAILED',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/PersonalizeAccess`,
      kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`,
      creationDateTime: new Date('2024-01-11T10:00:00Z'),
      lastUpdatedDateTime: new Date('2024-01-11T10:00:00Z'),
      failureReason: 'KMS key is not accessible',
      domain: 'VIDEO_ON_DEMAND',
    });
  });

  it('DescribeDatasetGroup keeps fractional seconds', async () => {
    const out = await personalize().send(new DescribeDatasetGroupCommand({ datasetGroupArn: shopGroupArn }));
    expect(out.datasetGroup!.lastUpdatedDateTime).toEqual(new Date('2024-01-10T10:05:00.500Z'));
  });

  it('DescribeDatasetGroup of an unknown group is ResourceNotFoundException sent with HTTP 400', async () => {
    const error = await failure(
      personalize().send(
        new DescribeDatasetGroupCommand({
          datasetGroupArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/nope`,
        }),
      ),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('a tracker exists only in its own region', async () => {
    const eu = await personalize('eu-west-1').send(
      new DescribeEventTrackerCommand({ eventTrackerArn: trackerArn('eu-events', 'eu-west-1') }),
    );
    expect(eu.eventTracker!.status).toBe('ACTIVE');
    const error = await failure(
      personalize('us-east-1').send(
        new DescribeEventTrackerCommand({ eventTrackerArn: trackerArn('eu-events', 'eu-west-1') }),
      ),
    );
    expect(error.name).toBe('ResourceNotFoundException');
  });
});

describe('Internet Monitor', () => {
  it('GetInternetEvent returns every member with Dates and a 4-byte AS number', async () => {
    const out = await internetMonitor().send(new GetInternetEventCommand({ EventId: 'event-1-active-perf' }));
    expect(out).toMatchObject({
      EventId: 'event-1-active-perf',
      EventArn: `arn:aws:internetmonitor::${ACCOUNT}:internet-event/event-1-active-perf`,
      StartedAt: new Date('2024-05-01T10:00:00Z'),
      ClientLocation: {
        ASName: 'Private-use ASN',
        ASNumber: 4200000001,
        Country: 'Brazil',
        Subdivision: 'São Paulo',
        Metro: 'São Paulo',
        City: 'São Paulo',
        Latitude: -23.5505,
        Longitude: -46.6333,
      },
      EventType: 'PERFORMANCE',
      EventStatus: 'ACTIVE',
    });
    expect(out.EndedAt).toBeUndefined();
  });

  it('GetInternetEvent of a resolved event has EndedAt and keeps fractional seconds', async () => {
    const out = await internetMonitor().send(new GetInternetEventCommand({ EventId: 'event-2-resolved-avail' }));
    expect(out.StartedAt).toEqual(new Date('2024-05-02T10:00:00.125Z'));
    expect(out.EndedAt).toEqual(new Date('2024-05-02T12:30:00Z'));
    expect(out.EventArn).toBe(`arn:aws:internetmonitor::${ACCOUNT}:internet-event/custom-arn-2`);
    expect(out.ClientLocation!.Subdivision).toBeUndefined();
  });

  it('GetInternetEvent of an unknown EventId is ResourceNotFoundException 404', async () => {
    const error = await failure(internetMonitor().send(new GetInternetEventCommand({ EventId: 'no-such-event' })));
    expect(error.name).toBe('ResourceNotFoundException');
    expect(error.$metadata.httpStatusCode).toBe(404);
  });

  it('GetInternetEvent rejects an EventId outside the pattern with ValidationException 400', async () => {
    const error = await failure(internetMonitor().send(new GetInternetEventCommand({ EventId: 'bad_id' })));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('ListInternetEvents returns the events started up to now, in fixture order', async () => {
    const out = await internetMonitor().send(new ListInternetEventsCommand({}));
    expect(out.InternetEvents!.map((e) => e.EventId)).toEqual(ALL_EVENTS_UNTIL_NOW);
    expect(out.NextToken).toBeUndefined();
  });

  it('ListInternetEvents summaries have the same members as GetInternetEvent', async () => {
    const client = internetMonitor();
    const list = await client.send(new ListInternetEventsCommand({ MaxResults: 2 }));
    const { $metadata: _ignored, ...single } = await client.send(
      new GetInternetEventCommand({ EventId: 'event-2-resolved-avail' }),
    );
    expect(list.InternetEvents![1]).toEqual(single);
  });

  it('ListInternetEvents pages with MaxResults 2 and the tokens round-trip', async () => {
    const client = internetMonitor();
    const ids: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListInternetEventsCommand({ MaxResults: 2, NextToken: token }));
      ids.push(...page.InternetEvents!.map((e) => e.EventId!));
      token = page.NextToken;
      pages += 1;
    } while (token);
    expect(ids).toEqual(ALL_EVENTS_UNTIL_NOW);
    expect(pages).toBe(3);
  });

  it('ListInternetEvents filters on when events started (StartTime and EndTime)', async () => {
    const out = await internetMonitor().send(
      new ListInternetEventsCommand({
        StartTime: new Date('2024-05-02T00:00:00Z'),
        EndTime: new Date('2024-05-04T10:00:00Z'),
      }),
    );
    expect(out.InternetEvents!.map((e) => e.EventId)).toEqual([
      'event-2-resolved-avail',
      'event-3-resolved-perf',
      'event-4-active-avail',
    ]);
  });

  it('ListInternetEvents with an EndTime after now includes later events', async () => {
    const out = await internetMonitor().send(
      new ListInternetEventsCommand({ EndTime: new Date('2024-12-31T00:00:00Z') }),
    );
    expect(out.InternetEvents!.map((e) => e.EventId)).toEqual([...ALL_EVENTS_UNTIL_NOW, 'event-6-future']);
  });

  it('ListInternetEvents filters by EventStatus and EventType', async () => {
    const client = internetMonitor();
    const active = await client.send(new ListInternetEventsCommand({ EventStatus: 'ACTIVE' }));
    expect(active.InternetEvents!.map((e) => e.EventId)).toEqual(['event-1-active-perf', 'event-4-active-avail']);
    const availability = await client.send(new ListInternetEventsCommand({ EventType: 'AVAILABILITY' }));
    expect(availability.InternetEvents!.map((e) => e.EventId)).toEqual([
      'event-2-resolved-avail',
      'event-4-active-avail',
    ]);
  });

  it.each([
    ['EventStatus', { EventStatus: 'active' }],
    ['EventType', { EventType: 'OUTAGE' }],
    ['MaxResults', { MaxResults: 0 }],
    [
      'StartTime after EndTime',
      { StartTime: new Date('2024-05-03T00:00:00Z'), EndTime: new Date('2024-05-01T00:00:00Z') },
    ],
  ])('ListInternetEvents rejects a bad %s with ValidationException 400', async (_member, input) => {
    const error = await failure(internetMonitor().send(new ListInternetEventsCommand(input)));
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('ListInternetEvents rejects a token from a differently filtered listing with ValidationException', async () => {
    const client = internetMonitor();
    const first = await client.send(new ListInternetEventsCommand({ MaxResults: 1 }));
    const error = await failure(
      client.send(new ListInternetEventsCommand({ MaxResults: 1, EventStatus: 'ACTIVE', NextToken: first.NextToken })),
    );
    expect(error.name).toBe('ValidationException');
  });

  it.each(['us-east-1', 'eu-west-1', 'ap-northeast-1'])('internet events are served in %s', async (region) => {
    const out = await internetMonitor(region).send(new ListInternetEventsCommand({}));
    expect(out.InternetEvents!.map((e) => e.EventId)).toEqual(ALL_EVENTS_UNTIL_NOW);
  });
});

describe('wire format', () => {
  it('Customer Profiles sends timestamps as epoch-second numbers', async () => {
    const res = await signedFetch({ service: 'profile', path: '/domains/storefront/event-streams/clicks' });
    const body = (await res.json()) as Record<string, any>;
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(body.CreatedAt).toBe(Date.parse('2024-01-15T09:30:00.250Z') / 1000);
    expect(body.DestinationDetails.UnhealthySince).toBe(Date.parse('2024-04-01T23:00:00Z') / 1000);
  });

  it('Personalize sends timestamps as epoch-second numbers in an x-amz-json-1.1 body', async () => {
    const res = await signedFetch({
      service: 'personalize',
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonPersonalize.DescribeEventTracker',
      },
      body: JSON.stringify({ eventTrackerArn: trackerArn('shop-events') }),
    });
    const body = (await res.json()) as Record<string, any>;
    expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(body.eventTracker.creationDateTime).toBe(Date.parse('2024-01-10T11:00:00Z') / 1000);
  });

  it('Internet Monitor sends timestamps as RFC 3339 strings', async () => {
    const res = await signedFetch({
      service: 'internetmonitor',
      path: '/v20210603/InternetEvents/event-2-resolved-avail',
    });
    const body = (await res.json()) as Record<string, any>;
    expect(body.StartedAt).toBe('2024-05-02T10:00:00.125Z');
    expect(body.EndedAt).toBe('2024-05-02T12:30:00Z');
  });

  it('Internet Monitor reads MaxResults from the InternetEventMaxResults query parameter', async () => {
    const res = await signedFetch({
      service: 'internetmonitor',
      path: '/v20210603/InternetEvents',
      query: { InternetEventMaxResults: '1' },
    });
    const body = (await res.json()) as Record<string, any>;
    expect(body.InternetEvents).toHaveLength(1);
    expect(typeof body.NextToken).toBe('string');
  });

  it('restJson1 errors carry X-Amzn-Errortype and the Message member for Customer Profiles', async () => {
    const res = await signedFetch({ service: 'profile', path: '/domains/nope/event-streams' });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(Object.keys((await res.json()) as object)).toEqual(['Message']);
  });

  it('restJson1 errors carry the lowercase message member for Internet Monitor', async () => {
    const res = await signedFetch({ service: 'internetmonitor', path: '/v20210603/InternetEvents/bad_id' });
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(Object.keys((await res.json()) as object)).toEqual(['message']);
  });

  it('awsJson1_1 errors carry __type and message in the body', async () => {
    const res = await signedFetch({
      service: 'personalize',
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonPersonalize.DescribeEventTracker',
      },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      __type: 'InvalidInputException',
      message: expect.stringContaining("Value null at 'eventTrackerArn'"),
    });
  });

  it('an unknown X-Amz-Target is UnknownOperationException', async () => {
    const res = await signedFetch({
      service: 'personalize',
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonPersonalize.CreateSolution' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('every response carries an x-amzn-RequestId uuid, errors included', async () => {
    const res = await fetch(`${emulator.url}/v20210603/InternetEvents`);
    expect(res.headers.get('x-amzn-requestid')).toMatch(UUID);
  });
});

describe('authentication', () => {
  it('a request without Authorization is MissingAuthenticationTokenException 403', async () => {
    const res = await fetch(`${emulator.url}/domains/storefront/event-streams`);
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('a wrong secret key is InvalidSignatureException 403 (restJson1)', async () => {
    const error = await failure(
      profiles('us-east-1', { accessKeyId: 'test', secretAccessKey: 'wrong' }).send(
        new ListEventStreamsCommand({ DomainName: 'storefront' }),
      ),
    );
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('a wrong secret key is InvalidSignatureException 403 (awsJson1_1)', async () => {
    const error = await failure(
      personalize('us-east-1', { accessKeyId: 'test', secretAccessKey: 'wrong' }).send(
        new ListEventTrackersCommand({}),
      ),
    );
    expect(error.name).toBe('InvalidSignatureException');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('an unknown access key is UnrecognizedClientException 403', async () => {
    const error = await failure(
      personalize('us-east-1', { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'test' }).send(
        new ListEventTrackersCommand({}),
      ),
    );
    expect(error.name).toBe('UnrecognizedClientException');
    expect(error.message).toBe('The security token included in the request is invalid.');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('a request signed for another service is InvalidSignatureException', async () => {
    const res = await signedFetch({ service: 'personalize', path: '/domains/storefront/event-streams' });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  it('every configured key pair is accepted', async () => {
    const multi = await startEmulator({
      fixtures: loadFixturesFile(FIXTURES),
      credentials: [
        { accessKeyId: 'AKIDTEAMA', secretAccessKey: 'secret-a' },
        { accessKeyId: 'AKIDTEAMB', secretAccessKey: 'secret-b' },
      ],
    });
    try {
      for (const credentials of [
        { accessKeyId: 'AKIDTEAMA', secretAccessKey: 'secret-a' },
        { accessKeyId: 'AKIDTEAMB', secretAccessKey: 'secret-b' },
      ]) {
        const client = new PersonalizeClient({ endpoint: multi.url, region: 'us-east-1', credentials, maxAttempts: 1 });
        const out = await client.send(new ListEventTrackersCommand({}));
        client.destroy();
        expect(out.eventTrackers).toHaveLength(3);
      }
      expect(multi.stats().total).toBe(2);
    } finally {
      await multi.close();
    }
  });
});

describe('stats', () => {
  it('counts every call per operation and region, failures included', async () => {
    await profiles().send(new GetEventStreamCommand({ DomainName: 'storefront', EventStreamName: 'orders' }));
    await failure(profiles().send(new GetEventStreamCommand({ DomainName: 'storefront', EventStreamName: 'nope' })));
    await profiles('eu-west-1').send(new ListEventStreamsCommand({ DomainName: 'eu-only' }));
    await personalize().send(new DescribeEventTrackerCommand({ eventTrackerArn: trackerArn('shop-events') }));
    await personalize().send(new DescribeDatasetGroupCommand({ datasetGroupArn: shopGroupArn }));
    await personalize().send(new ListEventTrackersCommand({}));
    await internetMonitor('ap-southeast-2').send(new GetInternetEventCommand({ EventId: 'event-3-resolved-perf' }));
    await internetMonitor().send(new ListInternetEventsCommand({}));
    expect(emulator.stats()).toEqual({
      total: 8,
      calls: {
        'profile:GetEventStream': 2,
        'profile:ListEventStreams': 1,
        'personalize:DescribeEventTracker': 1,
        'personalize:DescribeDatasetGroup': 1,
        'personalize:ListEventTrackers': 1,
        'internetmonitor:GetInternetEvent': 1,
        'internetmonitor:ListInternetEvents': 1,
      },
      byRegion: {
        'us-east-1': {
          'profile:GetEventStream': 2,
          'personalize:DescribeEventTracker': 1,
          'personalize:DescribeDatasetGroup': 1,
          'personalize:ListEventTrackers': 1,
          'internetmonitor:ListInternetEvents': 1,
        },
        'eu-west-1': { 'profile:ListEventStreams': 1 },
        'ap-southeast-2': { 'internetmonitor:GetInternetEvent': 1 },
      },
      // The long-term credentials are the fixtures' account's.
      byAccount: {
        '444455556666': {
          'profile:GetEventStream': 2,
          'profile:ListEventStreams': 1,
          'personalize:DescribeEventTracker': 1,
          'personalize:DescribeDatasetGroup': 1,
          'personalize:ListEventTrackers': 1,
          'internetmonitor:GetInternetEvent': 1,
          'internetmonitor:ListInternetEvents': 1,
        },
      },
      assumeRoleByAccount: {},
    });
  });

  it('counts calls rejected by authentication', async () => {
    await failure(
      personalize('us-east-1', { accessKeyId: 'test', secretAccessKey: 'wrong' }).send(
        new ListEventTrackersCommand({}),
      ),
    );
    expect(emulator.stats().calls).toEqual({ 'personalize:ListEventTrackers': 1 });
  });

  it('GET /_emulator/stats serves the same counts over HTTP', async () => {
    await personalize().send(new ListEventTrackersCommand({}));
    const res = await fetch(`${emulator.url}/_emulator/stats`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(emulator.stats());
  });

  it('POST /_emulator/reset zeroes the counters', async () => {
    await personalize().send(new ListEventTrackersCommand({}));
    const res = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    expect(res.status).toBe(204);
    expect(emulator.stats()).toEqual({ total: 0, calls: {}, byRegion: {}, byAccount: {}, assumeRoleByAccount: {} });
  });

  it('reset() zeroes the counters', async () => {
    await personalize().send(new ListEventTrackersCommand({}));
    emulator.reset();
    expect(emulator.stats().total).toBe(0);
  });

  it('GET /_emulator/health answers 200', async () => {
    const res = await fetch(`${emulator.url}/_emulator/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('faults', () => {
  it('latencyMs delays every AWS call by at least that long', async () => {
    emulator.setFaults({ latencyMs: 60 });
    const started = performance.now();
    await personalize().send(new ListEventTrackersCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(60);
  });

  it('a throttle rule gives Customer Profiles ThrottlingException 429', async () => {
    emulator.setFaults({ rules: [{ service: 'profile', throttleRate: 1 }] });
    const error = await failure(profiles().send(new ListEventStreamsCommand({ DomainName: 'storefront' })));
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata.httpStatusCode).toBe(429);
  });

  it('a throttle rule gives Personalize LimitExceededException with HTTP 400', async () => {
    emulator.setFaults({ rules: [{ service: 'personalize', operation: 'DescribeEventTracker', throttleRate: 1 }] });
    const error = await failure(
      personalize().send(new DescribeEventTrackerCommand({ eventTrackerArn: trackerArn('shop-events') })),
    );
    expect(error.name).toBe('LimitExceededException');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('a throttle rule gives Internet Monitor ThrottlingException 429', async () => {
    emulator.setFaults({ rules: [{ service: 'internetmonitor', throttleRate: 1 }] });
    const error = await failure(internetMonitor().send(new ListInternetEventsCommand({})));
    expect(error.name).toBe('ThrottlingException');
    expect(error.$metadata.httpStatusCode).toBe(429);
  });

  it('a rule scoped to one operation leaves the others alone', async () => {
    emulator.setFaults({ rules: [{ service: 'personalize', operation: 'DescribeEventTracker', throttleRate: 1 }] });
    const out = await personalize().send(new ListEventTrackersCommand({}));
    expect(out.eventTrackers).toHaveLength(3);
  });

  it('a rule scoped to a region leaves other regions alone', async () => {
    emulator.setFaults({ rules: [{ region: 'eu-west-1', down: true }] });
    const out = await profiles('us-east-1').send(new ListEventStreamsCommand({ DomainName: 'storefront' }));
    expect(out.Items).toHaveLength(5);
    const error = await failure(profiles('eu-west-1').send(new ListEventStreamsCommand({ DomainName: 'eu-only' })));
    expect(error.$metadata.httpStatusCode).toBe(503);
  });

  it('errorRate 1 gives each service its 500 error', async () => {
    emulator.setFaults({ rules: [{ errorRate: 1 }] });
    const cp = await failure(profiles().send(new ListEventStreamsCommand({ DomainName: 'storefront' })));
    const pz = await failure(personalize().send(new ListEventTrackersCommand({})));
    const im = await failure(internetMonitor().send(new ListInternetEventsCommand({})));
    expect([cp.name, pz.name, im.name]).toEqual([
      'InternalServerException',
      'InternalFailure',
      'InternalServerException',
    ]);
    expect([cp.$fault, pz.$fault, im.$fault]).toEqual(['server', 'server', 'server']);
    expect(cp.$metadata.httpStatusCode).toBe(500);
  });

  it('down makes a service answer 503 ServiceUnavailable', async () => {
    emulator.setFaults({ rules: [{ service: 'personalize', down: true }] });
    const error = await failure(personalize().send(new ListEventTrackersCommand({})));
    expect(error.name).toBe('ServiceUnavailable');
    expect(error.$metadata.httpStatusCode).toBe(503);
  });

  it('resetRate 1 drops the connection without a response', async () => {
    emulator.setFaults({ rules: [{ service: 'profile', resetRate: 1 }] });
    const error = await failure(profiles().send(new ListEventStreamsCommand({ DomainName: 'storefront' })));
    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    expect(emulator.stats().calls['profile:ListEventStreams']).toBe(1);
  });

  it('truncateRate 1 closes the connection mid-body', async () => {
    emulator.setFaults({ rules: [{ service: 'profile', truncateRate: 1 }] });
    await failure(profiles().send(new GetEventStreamCommand({ DomainName: 'storefront', EventStreamName: 'orders' })));
    expect(emulator.stats().calls['profile:GetEventStream']).toBe(1);
  });

  it('slowBodyMs spreads the body over at least that long', async () => {
    emulator.setFaults({ rules: [{ service: 'internetmonitor', slowBodyMs: 80 }] });
    const started = performance.now();
    const out = await internetMonitor().send(new ListInternetEventsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    expect(out.InternetEvents).toHaveLength(5);
  });

  it('PUT /_emulator/faults installs faults that GET shows and DELETE clears', async () => {
    const config = {
      latencyMs: 5,
      seed: 7,
      rules: [{ service: 'personalize', operation: 'DescribeEventTracker', throttleRate: 0.3, throttleAboveRps: 50 }],
    };
    const put = await fetch(`${emulator.url}/_emulator/faults`, { method: 'PUT', body: JSON.stringify(config) });
    expect(put.status).toBe(200);
    expect(await (await fetch(`${emulator.url}/_emulator/faults`)).json()).toEqual(config);
    expect((await fetch(`${emulator.url}/_emulator/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(await (await fetch(`${emulator.url}/_emulator/faults`)).json()).toEqual({});
  });

  it('PUT /_emulator/faults rejects unknown keys with 400 and the path', async () => {
    const res = await fetch(`${emulator.url}/_emulator/faults`, {
      method: 'PUT',
      body: JSON.stringify({ rules: [{ service: 'profile', throtleRate: 1 }] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: Array<{ path: string; message: string }> };
    expect(body.issues).toEqual([{ path: 'rules[0]', message: expect.stringContaining('throtleRate') }]);
  });
});
