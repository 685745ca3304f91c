import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TRACKER_PHASES } from '../../src/emulator/index.js';
import { ACCOUNT, arns, kinesisStream, writableFixtures } from '../helpers/fixtures.js';
import { waitFor } from '../helpers/redis.js';
import { type Stack, startStack } from '../helpers/stack.js';

/**
 * The mutations against the emulator, one gateway: what each write sends to AWS (exact calls), what it answers,
 * and that the next read, whichever cache it would have hit, shows the new state.
 */

const KDS = kinesisStream('us-east-1', 'new-kds');

const CREATE = `mutation Create($input: CreateEventStreamInput!) {
  createEventStream(input: $input) {
    eventStream { arn state destination { uri status } tags { key value } }
  }
}`;
const CREATE_BARE = `mutation CreateBare($input: CreateEventStreamInput!) {
  createEventStream(input: $input) { __typename }
}`;
const UPDATE = `mutation Update($input: UpdateEventStreamInput!) {
  updateEventStream(input: $input) { eventStream { name tags { key value } } }
}`;
const DELETE = `mutation Delete($input: DeleteEventStreamInput!) { deleteEventStream(input: $input) { deletedId } }`;
const STREAM = `query Stream($name: String!) {
  eventStream(domainName: "retail", name: $name) { arn tags { key value } }
}`;
const LIST = `query List { eventStreams(domainName: "retail", first: 100) { nodes { name tags { key value } } } }`;

const CREATE_TRACKER = `mutation CreateTracker($input: CreateEventTrackerInput!) {
  createEventTracker(input: $input) { eventTracker { arn status statusText datasetGroupArn } }
}`;
const DELETE_TRACKER = `mutation DeleteTracker($arn: String!) {
  deleteEventTracker(input: { arn: $arn }) { deletedId }
}`;
const TRACKER = `query Tracker($arn: String!) { eventTracker(arn: $arn) { status } }`;

const create = (name: string, extra: Record<string, unknown> = {}) => ({
  input: { domainName: 'retail', name, uri: KDS, ...extra },
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    fixtures: writableFixtures(),
    // A short call timeout for the timeout test; no breaker, so that the fault tests cannot shed each other's calls.
    env: { AWS_CALL_TIMEOUT_MS: '400', CIRCUIT_FAILURE_THRESHOLD: '0' },
  });
});
afterAll(() => stack?.close());
afterEach(() => {
  stack.emulator.clearFaults();
  stack.resetCalls();
});

/** Runs `query` with fresh counters; the response and the AWS calls it cost. */
async function measured(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) {
  stack.resetCalls();
  const res = await stack.query(query, variables, headers);
  return { res, calls: stack.calls() };
}

describe('createEventStream', () => {
  it('sends one CreateEventStream, and reads the stream back (GetEventStream) only when the payload asks', async () => {
    const bare = await measured(CREATE_BARE, create('created-bare'));
    expect(bare.res.errors).toBeUndefined();
    expect(bare.calls).toEqual({ 'profile:CreateEventStream': 1 });

    const full = await measured(CREATE, create('created-full', { tags: [{ key: 'team', value: 'data' }] }));
    expect(full.res.data?.createEventStream.eventStream).toEqual({
      arn: arns.stream('us-east-1', 'retail', 'created-full'),
      state: 'RUNNING',
      destination: { uri: KDS, status: 'HEALTHY' },
      tags: [{ key: 'team', value: 'data' }],
    });
    expect(full.calls).toEqual({ 'profile:CreateEventStream': 1, 'profile:GetEventStream': 1 });
  });

  it('answers with Cache-Control: no-store', async () => {
    const { res } = await measured(CREATE_BARE, create('created-no-store'));
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('shows the new stream to the next read, although its absence was cached', async () => {
    const before = await measured(STREAM, { name: 'created-later' });
    expect(before.res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // The miss is cached: asking again costs nothing.
    expect((await measured(STREAM, { name: 'created-later' })).calls).toEqual({});
    await measured(CREATE_BARE, create('created-later'));
    const after = await measured(STREAM, { name: 'created-later' });
    expect(after.res.data?.eventStream.arn).toBe(arns.stream('us-east-1', 'retail', 'created-later'));
    expect(after.calls).toEqual({ 'profile:GetEventStream': 1 });
  });

  it("shows the new stream in the domain's list, cached (page and whole response) before the write", async () => {
    await measured(LIST);
    expect((await measured(LIST)).calls).toEqual({});
    await measured(CREATE_BARE, create('created-listed'));
    const after = await measured(LIST);
    expect(after.res.data?.eventStreams.nodes.map((n: { name: string }) => n.name)).toContain('created-listed');
    expect(after.calls).toEqual({ 'profile:ListEventStreams': 1 });
  });

  it('is CONFLICT when created again, even with the same destination (CreateEventStream, GetEventStream)', async () => {
    await measured(CREATE_BARE, create('created-twice'));
    const { res, calls } = await measured(CREATE_BARE, create('created-twice'));
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'exists' });
    expect(calls).toEqual({ 'profile:CreateEventStream': 1, 'profile:GetEventStream': 1 });
  });

  it('is CONFLICT when the stream exists with another destination (CreateEventStream, GetEventStream)', async () => {
    const { res, calls } = await measured(CREATE, {
      input: { domainName: 'retail', name: 'orders', uri: kinesisStream('us-east-1', 'elsewhere') },
    });
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      service: 'profile',
      operation: 'CreateEventStream',
      awsErrorCode: 'BadRequestException',
    });
    expect(calls).toEqual({ 'profile:CreateEventStream': 1, 'profile:GetEventStream': 1 });
  });

  it('keeps the code of other AWS refusals: a domain that does not exist is NOT_FOUND', async () => {
    const { res, calls } = await measured(CREATE_BARE, {
      input: { domainName: 'nowhere', name: 'x', uri: KDS },
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(calls).toEqual({ 'profile:CreateEventStream': 1 });
  });

  it('is never retried: an AWS 500 costs one CreateEventStream, where a read is retried (3 attempts)', async () => {
    stack.emulator.setFaults({
      rules: [
        { operation: 'CreateEventStream', errorRate: 1 },
        { operation: 'GetEventStream', errorRate: 1 },
      ],
    });
    const write = await measured(CREATE_BARE, create('never-retried'));
    expect(write.res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(write.calls).toEqual({ 'profile:CreateEventStream': 1 });
    const read = await measured(STREAM, { name: 'never-retried' });
    expect(read.res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(read.calls).toEqual({ 'profile:GetEventStream': 3 });
  });

  it('repeated after a timeout, finds the stream its first attempt made and succeeds, sent only once', async () => {
    // The emulator creates the stream after 1 s; the gateway gave up after one 400 ms attempt.
    stack.emulator.setFaults({ rules: [{ operation: 'CreateEventStream', latencyMs: 1_000 }] });
    const first = await measured(CREATE_BARE, create('after-timeout'));
    expect(first.res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(first.calls).toEqual({ 'profile:CreateEventStream': 1 });
    await waitFor('the late create to land', async () => {
      const res = await stack.query(STREAM, { name: 'after-timeout' }, { 'cache-control': 'no-cache' });
      return Boolean(res.data?.eventStream);
    });
    stack.emulator.clearFaults();
    // The client's retry: AWS refuses the create, the stream there has the same destination, so it is this one.
    const retry = await measured(CREATE, create('after-timeout'));
    expect(retry.res.errors).toBeUndefined();
    expect(retry.res.data?.createEventStream.eventStream.destination.uri).toBe(KDS);
    // The GetEventStream that found it also answers the payload.
    expect(retry.calls).toEqual({ 'profile:CreateEventStream': 1, 'profile:GetEventStream': 1 });
  });
});

describe('updateEventStream', () => {
  it('sets new and changed tags (TagResource), removes others (UntagResource); the next read shows it', async () => {
    await measured(
      CREATE_BARE,
      create('tagged', {
        tags: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
      }),
    );
    await measured(STREAM, { name: 'tagged' });
    expect((await measured(STREAM, { name: 'tagged' })).calls).toEqual({});

    const { res, calls } = await measured(UPDATE, {
      input: {
        domainName: 'retail',
        name: 'tagged',
        tags: [
          { key: 'b', value: '3' },
          { key: 'c', value: '4' },
        ],
      },
    });
    expect(res.data?.updateEventStream.eventStream).toEqual({
      name: 'tagged',
      tags: [
        { key: 'b', value: '3' },
        { key: 'c', value: '4' },
      ],
    });
    expect(calls).toEqual({ 'profile:GetEventStream': 1, 'profile:TagResource': 1, 'profile:UntagResource': 1 });

    const after = await measured(STREAM, { name: 'tagged' });
    expect(after.res.data?.eventStream.tags).toEqual([
      { key: 'b', value: '3' },
      { key: 'c', value: '4' },
    ]);
    expect(after.calls).toEqual({ 'profile:GetEventStream': 1 });
  });

  it('removes every tag with an empty set (UntagResource only), and changes nothing without a difference', async () => {
    const cleared = await measured(UPDATE, { input: { domainName: 'retail', name: 'clicks', tags: [] } });
    expect(cleared.res.data?.updateEventStream.eventStream.tags).toEqual([]);
    // clicks has no tags: nothing to remove, so no write at all.
    expect(cleared.calls).toEqual({ 'profile:GetEventStream': 1 });
    const same = await measured(UPDATE, {
      input: {
        domainName: 'retail',
        name: 'orders',
        tags: [
          { key: 'env', value: 'prod' },
          { key: 'team', value: 'checkout' },
        ],
      },
    });
    expect(same.calls).toEqual({ 'profile:GetEventStream': 1 });
    const none = await measured(UPDATE, { input: { domainName: 'retail', name: 'orders', tags: [] } });
    expect(none.res.data?.updateEventStream.eventStream.tags).toEqual([]);
    expect(none.calls).toEqual({ 'profile:GetEventStream': 1, 'profile:UntagResource': 1 });
  });

  it('is NOT_FOUND for a stream that does not exist, after one GetEventStream', async () => {
    const { res, calls } = await measured(UPDATE, { input: { domainName: 'retail', name: 'ghost', tags: [] } });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(calls).toEqual({ 'profile:GetEventStream': 1 });
  });
});

describe('deleteEventStream', () => {
  it('deletes with one DeleteEventStream and answers the ARN; the next read (cached before) is NOT_FOUND', async () => {
    await measured(CREATE_BARE, create('doomed'));
    await measured(STREAM, { name: 'doomed' });
    const { res, calls } = await measured(DELETE, { input: { domainName: 'retail', name: 'doomed' } });
    expect(res.data?.deleteEventStream).toEqual({ deletedId: arns.stream('us-east-1', 'retail', 'doomed') });
    expect(calls).toEqual({ 'profile:DeleteEventStream': 1 });
    const after = await measured(STREAM, { name: 'doomed' });
    expect(after.res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(after.calls).toEqual({ 'profile:GetEventStream': 1 });
  });

  it('is NOT_FOUND for a stream that does not exist', async () => {
    const { res, calls } = await measured(DELETE, { input: { domainName: 'retail', name: 'ghost' } });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', operation: 'GetEventStream' });
    expect(calls).toEqual({ 'profile:DeleteEventStream': 1 });
  });

  it('is retried (AWS makes deletes idempotent): a NOT_FOUND answering a lost answer’s retry is success', async () => {
    await measured(CREATE_BARE, create('lost-answer'));
    // The first attempt deletes the stream, and its answer is cut off; the SDK tries again and finds it gone.
    stack.emulator.setFaults({ rules: [{ operation: 'DeleteEventStream', truncateRate: 1, times: 1 }] });
    const { res, calls } = await measured(DELETE, { input: { domainName: 'retail', name: 'lost-answer' } });
    expect(res.errors).toBeUndefined();
    expect(res.data?.deleteEventStream.deletedId).toBe(arns.stream('us-east-1', 'retail', 'lost-answer'));
    expect(calls).toEqual({ 'profile:DeleteEventStream': 2 });
  });
});

describe('arguments are checked before any AWS call', () => {
  const refusals: Array<[string, string, Record<string, unknown>, string]> = [
    ['a uri that is no Kinesis stream', CREATE_BARE, create('x', { uri: 'https://example.com/kds' }), 'input.uri'],
    [
      'a Kinesis stream of another region',
      CREATE_BARE,
      create('x', { uri: kinesisStream('eu-west-1', 'k') }),
      'input.uri',
    ],
    ['an aws: tag key', CREATE_BARE, create('x', { tags: [{ key: 'aws:owner', value: 'me' }] }), 'input.tags[0].key'],
    [
      '51 tags',
      CREATE_BARE,
      create('x', { tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) }),
      'input.tags',
    ],
    ['no tags at all (tags: [])', CREATE_BARE, create('x', { tags: [] }), 'input.tags'],
    [
      'a key twice',
      UPDATE,
      {
        input: {
          domainName: 'retail',
          name: 'orders',
          tags: [
            { key: 'a', value: '1' },
            { key: 'a', value: '2' },
          ],
        },
      },
      'input.tags[1].key',
    ],
    [
      'a tag value over 256 characters',
      UPDATE,
      { input: { domainName: 'retail', name: 'orders', tags: [{ key: 'a', value: 'v'.repeat(257) }] } },
      'input.tags[0].value',
    ],
    ['a stream name AWS refuses', DELETE, { input: { domainName: 'retail', name: 'bad.name' } }, 'input.name'],
    [
      'a region the gateway does not serve',
      DELETE,
      { input: { domainName: 'retail', name: 'x', region: 'xx-nowhere-1' } },
      'input.region',
    ],
    [
      'a tracker name Personalize refuses',
      CREATE_TRACKER,
      { input: { datasetGroupArn: arns.group('fresh'), name: '-tracker' } },
      'input.name',
    ],
    [
      'a tracker ARN for a dataset group',
      CREATE_TRACKER,
      { input: { datasetGroupArn: arns.tracker('shop-tracker'), name: 't' } },
      'input.datasetGroupArn',
    ],
    ['a dataset group ARN for a tracker', DELETE_TRACKER, { arn: arns.group('shop') }, 'input.arn'],
  ];
  for (const [what, query, variables, argument] of refusals) {
    it(`refuses ${what}: BAD_USER_INPUT naming ${argument}, at zero AWS calls`, async () => {
      const { res, calls } = await measured(query, variables);
      // A field error: that mutation field is refused before it runs, with the preflight's error at its path.
      expect(res.status).toBe(200);
      expect(res.errors?.map((e) => e.extensions)).toEqual([
        expect.objectContaining({ code: 'BAD_USER_INPUT', argument }),
      ]);
      expect(calls).toEqual({});
    });
  }
});

describe('event trackers', () => {
  const arn = arns.tracker('fresh-events');

  it('creates a tracker that moves CREATE_PENDING -> CREATE_IN_PROGRESS -> ACTIVE, then deletes it', async () => {
    // Listed (and cached) before: the list shows the new tracker after the create.
    await measured('{ eventTrackers(first: 100) { nodes { name } } }');
    const created = await measured(CREATE_TRACKER, {
      input: { datasetGroupArn: arns.group('fresh'), name: 'fresh-events' },
    });
    expect(created.res.data?.createEventTracker.eventTracker).toEqual({
      arn,
      status: 'CREATE_PENDING',
      statusText: 'CREATE PENDING',
      datasetGroupArn: arns.group('fresh'),
    });
    expect(created.calls).toEqual({ 'personalize:CreateEventTracker': 1, 'personalize:DescribeEventTracker': 1 });
    const listed = await measured('{ eventTrackers(first: 100) { nodes { name } } }');
    expect(listed.res.data?.eventTrackers.nodes.map((n: { name: string }) => n.name)).toContain('fresh-events');
    expect(listed.calls).toEqual({ 'personalize:ListEventTrackers': 1 });

    // Transitional states are cached for seconds; no-cache reads what AWS says at the emulator's new time.
    const fresh = { 'cache-control': 'no-cache' };
    stack.emulator.advanceClock(TRACKER_PHASES.createPendingSeconds);
    expect((await measured(TRACKER, { arn }, fresh)).res.data?.eventTracker.status).toBe('CREATE_IN_PROGRESS');
    stack.emulator.advanceClock(TRACKER_PHASES.activeAfterSeconds);
    expect((await measured(TRACKER, { arn })).res.data?.eventTracker.status).toBe('CREATE_IN_PROGRESS');
    expect((await measured(TRACKER, { arn }, fresh)).res.data?.eventTracker.status).toBe('ACTIVE');

    const deleted = await measured(DELETE_TRACKER, { arn });
    expect(deleted.res.data?.deleteEventTracker).toEqual({ deletedId: arn });
    expect(deleted.calls).toEqual({ 'personalize:DeleteEventTracker': 1 });
    // The ACTIVE tracker was cached for minutes; the write dropped it.
    const deleting = await measured(TRACKER, { arn });
    expect(deleting.res.data?.eventTracker.status).toBe('DELETE_PENDING');
    expect(deleting.calls).toEqual({ 'personalize:DescribeEventTracker': 1 });
    stack.emulator.advanceClock(TRACKER_PHASES.goneAfterSeconds);
    const gone = await measured(TRACKER, { arn }, fresh);
    expect(gone.res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('is CONFLICT for a second tracker of a dataset group and for a taken name, at one call', async () => {
    for (const input of [
      { datasetGroupArn: arns.group('shop'), name: 'shop-second' },
      { datasetGroupArn: arns.group('shop'), name: 'shop-tracker' },
    ]) {
      const { res, calls } = await measured(CREATE_TRACKER, { input });
      expect(res.errors?.[0]?.extensions).toMatchObject({
        code: 'CONFLICT',
        awsErrorCode: 'ResourceAlreadyExistsException',
      });
      expect(calls).toEqual({ 'personalize:CreateEventTracker': 1 });
    }
  });

  it('repeated after a timeout, finds the tracker its first attempt made for the group and succeeds', async () => {
    stack.emulator.setFaults({ rules: [{ operation: 'CreateEventTracker', latencyMs: 1_000 }] });
    const input = { datasetGroupArn: arns.group('fresh'), name: 'late-tracker' };
    const first = await measured(CREATE_TRACKER, { input });
    expect(first.res.errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(first.calls).toEqual({ 'personalize:CreateEventTracker': 1 });
    await waitFor('the late create to land', async () => {
      const res = await stack.query(TRACKER, { arn: arns.tracker('late-tracker') }, { 'cache-control': 'no-cache' });
      return Boolean(res.data?.eventTracker);
    });
    stack.emulator.clearFaults();
    const retry = await measured(CREATE_TRACKER, { input });
    expect(retry.res.errors).toBeUndefined();
    expect(retry.res.data?.createEventTracker.eventTracker.arn).toBe(arns.tracker('late-tracker'));
    expect(retry.calls).toEqual({ 'personalize:CreateEventTracker': 1, 'personalize:DescribeEventTracker': 1 });
    // The journal entry is used once: the same create once more is a conflict.
    const again = await measured(CREATE_TRACKER, { input });
    expect(again.res.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await measured(DELETE_TRACKER, { arn: arns.tracker('late-tracker') });
  });

  it('is NOT_FOUND when deleting a tracker that does not exist', async () => {
    const { res, calls } = await measured(DELETE_TRACKER, { arn: arns.tracker('ghost') });
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(calls).toEqual({ 'personalize:DeleteEventTracker': 1 });
  });
});

describe('StackQL identifiers', () => {
  it('looks a stream up by DomainName|EventStreamName and a region', async () => {
    const query = `query($id: String!, $region: String) {
      eventStreamByIdentifier(identifier: $id, region: $region) { arn }
    }`;
    expect((await measured(query, { id: 'retail|orders' })).res.data?.eventStreamByIdentifier.arn).toBe(
      arns.stream('us-east-1', 'retail', 'orders'),
    );
    const eu = await measured(query, { id: 'retail|orders', region: 'eu-west-1' });
    expect(eu.res.data?.eventStreamByIdentifier.arn).toBe(arns.stream('eu-west-1', 'retail', 'orders'));
  });

  it('takes the identifier in node(id:), in the default region, the node id staying the ARN', async () => {
    const { res } = await measured('{ node(id: "retail|orders") { id ... on EventStream { name } } }');
    expect(res.data?.node).toEqual({ id: arns.stream('us-east-1', 'retail', 'orders'), name: 'orders' });
  });

  it('refuses a malformed identifier before any AWS call', async () => {
    const { res, calls } = await measured('{ eventStreamByIdentifier(identifier: "retail|orders|x") { arn } }');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'identifier' });
    expect(calls).toEqual({});
  });
});

describe('reads racing a write', () => {
  const LIST_TAGS = `query ListTags {
    eventStreams(domainName: "retail", first: 100) { nodes { name tags { key value } } }
  }`;
  const tagsOf = (res: { data?: any }, name: string) =>
    res.data?.eventStreams.nodes.find((n: { name: string }) => n.name === name)?.tags;

  it('a read after the write does not join a list call that started before it', async () => {
    await measured(CREATE_BARE, create('raced', { tags: [{ key: 'v', value: 'old' }] }));
    // The list page is computed at once and sent slowly: the read in flight holds the old tags.
    stack.emulator.setFaults({ rules: [{ operation: 'ListEventStreams', slowBodyMs: 800 }] });
    stack.resetCalls();
    const early = stack.query(LIST_TAGS, undefined, { 'cache-control': 'no-cache' });
    await waitFor('the early list call', () => (stack.calls()['profile:ListEventStreams'] ?? 0) === 1);
    await stack.query(UPDATE, { input: { domainName: 'retail', name: 'raced', tags: [{ key: 'v', value: 'new' }] } });
    const late = await stack.query(LIST_TAGS);
    expect(tagsOf(await early, 'raced')).toEqual([{ key: 'v', value: 'old' }]);
    expect(tagsOf(late, 'raced')).toEqual([{ key: 'v', value: 'new' }]);
    expect(stack.calls()['profile:ListEventStreams']).toBe(2);
  });

  it('a value fetched before the write and stored after it is not served', async () => {
    await measured(CREATE_BARE, create('stale-store', { tags: [{ key: 'v', value: 'old' }] }));
    stack.emulator.setFaults({ rules: [{ operation: 'GetEventStream', slowBodyMs: 800, times: 1 }] });
    stack.resetCalls();
    const early = stack.query(STREAM, { name: 'stale-store' });
    await waitFor('the early get', () => (stack.calls()['profile:GetEventStream'] ?? 0) === 1);
    await stack.query(UPDATE, {
      input: { domainName: 'retail', name: 'stale-store', tags: [{ key: 'v', value: 'new' }] },
    });
    // It ends after the write, and stores what it read before it.
    expect((await early).data?.eventStream.tags).toEqual([{ key: 'v', value: 'old' }]);
    const after = await measured(STREAM, { name: 'stale-store' });
    expect(after.res.data?.eventStream.tags).toEqual([{ key: 'v', value: 'new' }]);
    expect(after.calls).toEqual({ 'profile:GetEventStream': 1 });
  });
});

describe('account scope', () => {
  it('writes in the gateway’s own account', async () => {
    const { res } = await measured(CREATE, create('own-account'));
    expect(res.data?.createEventStream.eventStream.arn).toContain(`:${ACCOUNT}:`);
  });
});

describe('the AWS-call budget', () => {
  let budgeted: Stack;
  beforeAll(async () => {
    budgeted = await startStack({ fixtures: writableFixtures(), env: { AWS_CALL_BUDGET: '5' } });
  });
  afterAll(() => budgeted?.close());

  it('counts what each mutation may cost, payload included: over the budget is refused before any call', async () => {
    // Each create may cost CreateEventStream, a GetEventStream when refused, and the payload's read: 3, twice 6.
    const two = `mutation {
      a: createEventStream(input: { domainName: "retail", name: "budget-a", uri: "${KDS}" }) { eventStream { arn } }
      b: createEventStream(input: { domainName: "retail", name: "budget-b", uri: "${KDS}" }) { eventStream { arn } }
    }`;
    budgeted.resetCalls();
    const refused = await budgeted.query(two);
    expect(refused.status).toBe(200); // a refusal answered as application/json
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'AWS_CALL_BUDGET_EXCEEDED',
      estimatedAwsCalls: 6,
      awsCallBudget: 5,
    });
    expect(budgeted.totalCalls()).toBe(0);
    // Without the payloads' reads, 2 each: within the budget.
    const bare = await budgeted.query(two.replaceAll('{ eventStream { arn } }', '{ __typename }'));
    expect(bare.errors).toBeUndefined();
    expect(budgeted.calls()).toEqual({ 'profile:CreateEventStream': 2 });
  });
});
