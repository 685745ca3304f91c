import {
  CreateEventStreamCommand,
  CustomerProfilesClient,
  DeleteEventStreamCommand,
  GetEventStreamCommand,
  ListEventStreamsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-customer-profiles';
import {
  CreateEventTrackerCommand,
  DeleteEventTrackerCommand,
  DescribeEventTrackerCommand,
  ListEventTrackersCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Fixtures, type RunningEmulator, TRACKER_PHASES, startEmulator } from '../../src/emulator/index.js';

/** The emulator's writes, driven by the real SDK clients: wire shapes, errors, memory, reset and the clock. */

const ACCOUNT = '111122223333';
const NOW = new Date('2024-06-01T00:00:00Z');
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const KINESIS = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/new-kds`;
const ORDERS = `arn:aws:profile:us-east-1:${ACCOUNT}:domains/retail/event-streams/orders`;
const group = (name: string) => `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/${name}`;
const tracker = (name: string) => `arn:aws:personalize:us-east-1:${ACCOUNT}:event-tracker/${name}`;

const FIXTURES = {
  accountId: ACCOUNT,
  regions: {
    'us-east-1': {
      customerProfiles: {
        domains: [
          {
            DomainName: 'retail',
            eventStreams: [
              {
                EventStreamName: 'orders',
                CreatedAt: '2024-03-01T12:00:00Z',
                State: 'RUNNING',
                DestinationDetails: { Uri: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/orders`, Status: 'HEALTHY' },
                Tags: { team: 'checkout', env: 'prod' },
              },
            ],
          },
        ],
      },
      personalize: {
        datasetGroups: [
          { name: 'free', status: 'ACTIVE', creationDateTime: '2024-01-01T00:00:00Z' },
          { name: 'busy', status: 'ACTIVE', creationDateTime: '2024-01-01T00:00:00Z' },
          { name: 'building', status: 'CREATE IN_PROGRESS', creationDateTime: '2024-01-01T00:00:00Z' },
        ],
        eventTrackers: [
          { name: 'busy-events', datasetGroupArn: group('busy'), creationDateTime: '2024-01-02T00:00:00Z' },
        ],
      },
    },
  },
} as Fixtures;

let emulator: RunningEmulator;
let profiles: CustomerProfilesClient;
let personalize: PersonalizeClient;

async function describeTracker(name: string) {
  return (await personalize.send(new DescribeEventTrackerCommand({ eventTrackerArn: tracker(name) }))).eventTracker;
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string; $metadata: any }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixtures: FIXTURES, now: () => NOW });
  // maxAttempts 1: each raw error is seen, and counts are not inflated by retries.
  const config = { endpoint: emulator.url, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1 };
  profiles = new CustomerProfilesClient(config);
  personalize = new PersonalizeClient(config);
});
beforeEach(() => emulator.reset());
afterAll(async () => {
  profiles.destroy();
  personalize.destroy();
  await emulator.close();
});

describe('Customer Profiles event stream writes', () => {
  it('CreateEventStream answers EventStreamArn and Tags; Get and List show it RUNNING and HEALTHY', async () => {
    const out = await profiles.send(
      new CreateEventStreamCommand({ DomainName: 'retail', EventStreamName: 'new', Uri: KINESIS, Tags: { a: '1' } }),
    );
    expect(out).toMatchObject({
      EventStreamArn: `arn:aws:profile:us-east-1:${ACCOUNT}:domains/retail/event-streams/new`,
      Tags: { a: '1' },
    });
    const got = await profiles.send(new GetEventStreamCommand({ DomainName: 'retail', EventStreamName: 'new' }));
    expect(got).toMatchObject({
      EventStreamArn: out.EventStreamArn,
      CreatedAt: NOW,
      State: 'RUNNING',
      DestinationDetails: { Uri: KINESIS, Status: 'HEALTHY' },
      Tags: { a: '1' },
    });
    const listed = await profiles.send(new ListEventStreamsCommand({ DomainName: 'retail' }));
    expect(listed.Items?.map((s) => s.EventStreamName)).toEqual(['orders', 'new']);
  });

  it('CreateEventStream refuses an existing stream (BadRequestException 400) and an unknown domain (404)', async () => {
    const existing = await failure(
      profiles.send(new CreateEventStreamCommand({ DomainName: 'retail', EventStreamName: 'orders', Uri: KINESIS })),
    );
    expect(existing).toMatchObject({ name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
    expect(existing.message).toMatch(/already exists/);
    const noDomain = await failure(
      profiles.send(new CreateEventStreamCommand({ DomainName: 'nowhere', EventStreamName: 'x', Uri: KINESIS })),
    );
    expect(noDomain).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('CreateEventStream refuses a destination that is not a Kinesis stream of the region and account', async () => {
    for (const Uri of [
      'https://example.com/stream',
      `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/elsewhere`,
      'arn:aws:kinesis:us-east-1:999999999999:stream/foreign',
    ]) {
      const error = await failure(
        profiles.send(new CreateEventStreamCommand({ DomainName: 'retail', EventStreamName: 'x', Uri })),
      );
      expect(error.name, Uri).toBe('BadRequestException');
    }
  });

  it('CreateEventStream validates tags as the TagMap model does (aws: keys, more than 50)', async () => {
    const reserved = await failure(
      profiles.send(
        new CreateEventStreamCommand({
          DomainName: 'retail',
          EventStreamName: 'x',
          Uri: KINESIS,
          Tags: { 'aws:x': '1' },
        }),
      ),
    );
    expect(reserved.name).toBe('BadRequestException');
    expect(reserved.message).toMatch(/validation error/);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    const tooMany = await failure(
      profiles.send(
        new CreateEventStreamCommand({ DomainName: 'retail', EventStreamName: 'x', Uri: KINESIS, Tags: many }),
      ),
    );
    expect(tooMany.name).toBe('BadRequestException');
  });

  it('DeleteEventStream answers {} and the stream is gone; deleting it again is ResourceNotFound', async () => {
    const out = await profiles.send(new DeleteEventStreamCommand({ DomainName: 'retail', EventStreamName: 'orders' }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    const gone = await failure(
      profiles.send(new GetEventStreamCommand({ DomainName: 'retail', EventStreamName: 'orders' })),
    );
    expect(gone.name).toBe('ResourceNotFoundException');
    const again = await failure(
      profiles.send(new DeleteEventStreamCommand({ DomainName: 'retail', EventStreamName: 'orders' })),
    );
    expect(again).toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });

  it('TagResource, UntagResource and ListTagsForResource work on a stream ARN (slashes in its label)', async () => {
    await profiles.send(new TagResourceCommand({ resourceArn: ORDERS, tags: { env: 'staging', owner: 'me' } }));
    await profiles.send(new UntagResourceCommand({ resourceArn: ORDERS, tagKeys: ['team', 'owner'] }));
    const listed = await profiles.send(new ListTagsForResourceCommand({ resourceArn: ORDERS }));
    expect(listed.tags).toEqual({ env: 'staging' });
    const got = await profiles.send(new GetEventStreamCommand({ DomainName: 'retail', EventStreamName: 'orders' }));
    expect(got.Tags).toEqual({ env: 'staging' });
    expect(emulator.stats().calls).toMatchObject({
      'profile:TagResource': 1,
      'profile:UntagResource': 1,
      'profile:ListTagsForResource': 1,
    });
  });

  it('the tag operations refuse an unknown ARN (404), a foreign ARN pattern and reserved keys (400)', async () => {
    const unknown = `arn:aws:profile:us-east-1:${ACCOUNT}:domains/retail/event-streams/nope`;
    expect((await failure(profiles.send(new ListTagsForResourceCommand({ resourceArn: unknown })))).name).toBe(
      'ResourceNotFoundException',
    );
    const foreign = await failure(
      profiles.send(new TagResourceCommand({ resourceArn: 'arn:aws:s3:::bucket', tags: { a: '1' } })),
    );
    expect(foreign.name).toBe('BadRequestException');
    const reserved = await failure(
      profiles.send(new TagResourceCommand({ resourceArn: ORDERS, tags: { 'aws:owner': '1' } })),
    );
    expect(reserved.name).toBe('BadRequestException');
  });
});

describe('Personalize event tracker writes', () => {
  it('CreateEventTracker answers eventTrackerArn and trackingId; the tracker moves on with the clock', async () => {
    const out = await personalize.send(
      new CreateEventTrackerCommand({
        name: 'fresh',
        datasetGroupArn: group('free'),
        tags: [{ tagKey: 'a', tagValue: '1' }],
      }),
    );
    expect(out.eventTrackerArn).toBe(tracker('fresh'));
    expect(out.trackingId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await describeTracker('fresh')).toMatchObject({
      name: 'fresh',
      accountId: ACCOUNT,
      trackingId: out.trackingId,
      datasetGroupArn: group('free'),
      status: 'CREATE PENDING',
      creationDateTime: NOW,
    });
    emulator.advanceClock(TRACKER_PHASES.createPendingSeconds);
    expect((await describeTracker('fresh'))?.status).toBe('CREATE IN_PROGRESS');
    emulator.advanceClock(TRACKER_PHASES.activeAfterSeconds - TRACKER_PHASES.createPendingSeconds);
    const active = await describeTracker('fresh');
    expect(active).toMatchObject({ status: 'ACTIVE' });
    expect(active?.lastUpdatedDateTime).toEqual(new Date(NOW.getTime() + TRACKER_PHASES.activeAfterSeconds * 1000));
    const listed = await personalize.send(new ListEventTrackersCommand({ datasetGroupArn: group('free') }));
    expect(listed.eventTrackers?.map((t) => [t.name, t.status])).toEqual([['fresh', 'ACTIVE']]);
  });

  it('CreateEventTracker refuses a second tracker of a group and a taken name (ResourceAlreadyExists)', async () => {
    const second = await failure(
      personalize.send(new CreateEventTrackerCommand({ name: 'other', datasetGroupArn: group('busy') })),
    );
    expect(second.name).toBe('ResourceAlreadyExistsException');
    const taken = await failure(
      personalize.send(new CreateEventTrackerCommand({ name: 'busy-events', datasetGroupArn: group('free') })),
    );
    expect(taken.name).toBe('ResourceAlreadyExistsException');
  });

  it('CreateEventTracker refuses an unknown group (ResourceNotFound), a group not ACTIVE and a bad name', async () => {
    const unknown = await failure(
      personalize.send(new CreateEventTrackerCommand({ name: 'x', datasetGroupArn: group('nope') })),
    );
    expect(unknown.name).toBe('ResourceNotFoundException');
    const building = await failure(
      personalize.send(new CreateEventTrackerCommand({ name: 'x', datasetGroupArn: group('building') })),
    );
    expect(building.name).toBe('ResourceInUseException');
    const badName = await failure(
      personalize.send(new CreateEventTrackerCommand({ name: '-bad', datasetGroupArn: group('free') })),
    );
    expect(badName.name).toBe('InvalidInputException');
  });

  it('DeleteEventTracker answers {}: DELETE PENDING, again a no-op, then gone once its time has passed', async () => {
    await personalize.send(new DeleteEventTrackerCommand({ eventTrackerArn: tracker('busy-events') }));
    expect((await describeTracker('busy-events'))?.status).toBe('DELETE PENDING');
    const again = await personalize.send(new DeleteEventTrackerCommand({ eventTrackerArn: tracker('busy-events') }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    // A tracker on its way out does not hold its dataset group.
    await personalize.send(new CreateEventTrackerCommand({ name: 'successor', datasetGroupArn: group('busy') }));
    emulator.advanceClock(TRACKER_PHASES.goneAfterSeconds);
    const gone = await failure(describeTracker('busy-events'));
    expect(gone.name).toBe('ResourceNotFoundException');
    const deleteGone = await failure(
      personalize.send(new DeleteEventTrackerCommand({ eventTrackerArn: tracker('busy-events') })),
    );
    expect(deleteGone.name).toBe('ResourceNotFoundException');
  });
});

describe('emulator state', () => {
  it('POST /_emulator/reset restores the fixtures: writes forgotten, counters zero, the clock unmoved', async () => {
    await profiles.send(new DeleteEventStreamCommand({ DomainName: 'retail', EventStreamName: 'orders' }));
    await personalize.send(new CreateEventTrackerCommand({ name: 'fresh', datasetGroupArn: group('free') }));
    emulator.advanceClock(3600);
    const res = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    expect(res.status).toBe(204);
    expect(emulator.stats().total).toBe(0);
    const orders = await profiles.send(new GetEventStreamCommand({ DomainName: 'retail', EventStreamName: 'orders' }));
    expect(orders.Tags).toEqual({ team: 'checkout', env: 'prod' });
    expect((await failure(describeTracker('fresh'))).name).toBe('ResourceNotFoundException');
    expect(await (await fetch(`${emulator.url}/_emulator/clock`)).json()).toEqual({
      now: NOW.toISOString(),
      offsetSeconds: 0,
    });
  });

  it('POST /_emulator/stats/reset zeroes the counters and keeps what writes did', async () => {
    await profiles.send(new DeleteEventStreamCommand({ DomainName: 'retail', EventStreamName: 'orders' }));
    const res = await fetch(`${emulator.url}/_emulator/stats/reset`, { method: 'POST' });
    expect(res.status).toBe(204);
    expect(emulator.stats().total).toBe(0);
    const listed = await profiles.send(new ListEventStreamsCommand({ DomainName: 'retail' }));
    expect(listed.Items).toEqual([]);
  });

  it('POST /_emulator/clock moves the clock forward and refuses anything but a positive advanceSeconds', async () => {
    const moved = await fetch(`${emulator.url}/_emulator/clock`, {
      method: 'POST',
      body: JSON.stringify({ advanceSeconds: 90 }),
    });
    expect(await moved.json()).toEqual({ now: '2024-06-01T00:01:30.000Z', offsetSeconds: 90 });
    for (const body of ['{"advanceSeconds": -5}', '{"advanceSeconds": "10"}', 'nope', '{}']) {
      const res = await fetch(`${emulator.url}/_emulator/clock`, { method: 'POST', body });
      expect(res.status, body).toBe(400);
    }
  });
});
