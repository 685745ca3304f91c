import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arns, kinesisStream, writableFixtures } from '../helpers/fixtures.js';
import { type PrivateRedis, startRedis } from '../helpers/redis.js';
import { type Stack, startStack } from '../helpers/stack.js';

/**
 * Two gateway replicas in front of one AWS (one emulator) sharing one Redis: a write on one is what the other's
 * next read shows at once, through every cache either keeps (resource entries, list pages, whole responses), with
 * the Redis store and with memory stores told of writes over Redis pub/sub.
 */

const KDS = kinesisStream('us-east-1', 'replica-kds');
const CREATE = `mutation($input: CreateEventStreamInput!) { createEventStream(input: $input) { __typename } }`;
const UPDATE = `mutation($input: UpdateEventStreamInput!) { updateEventStream(input: $input) { __typename } }`;
const DELETE = `mutation($input: DeleteEventStreamInput!) { deleteEventStream(input: $input) { deletedId } }`;
const STREAM = `query($name: String!) { eventStream(domainName: "retail", name: $name) { name tags { key value } } }`;
const LIST = `{ eventStreams(domainName: "retail", first: 100) { nodes { name } } }`;
const TRACKER = `query($arn: String!) { eventTracker(arn: $arn) { name status } }`;

let redis: PrivateRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis?.stop());

describe.each(['redis', 'memory'])('two replicas sharing one Redis, CACHE_STORE=%s', (store) => {
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    const env = { REDIS_URL: redis.url, CACHE_STORE: store, CACHE_KEY_PREFIX: `test:${randomUUID()}:` };
    a = await startStack({ fixtures: writableFixtures(), env });
    b = await startStack({ emulator: a.emulator, env });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** B's answer to `query`, and the AWS calls it cost. */
  async function readOnB(query: string, variables?: Record<string, unknown>) {
    a.resetCalls();
    const res = await b.query(query, variables);
    return { res, calls: a.calls() };
  }

  it('a stream created on one is read on the other, whose cached miss and cached list it replaces', async () => {
    expect((await readOnB(STREAM, { name: 'made-on-a' })).res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await readOnB(LIST);
    // Both cached on B.
    expect((await readOnB(STREAM, { name: 'made-on-a' })).calls).toEqual({});
    expect((await readOnB(LIST)).calls).toEqual({});

    const created = await a.query(CREATE, { input: { domainName: 'retail', name: 'made-on-a', uri: KDS } });
    expect(created.errors).toBeUndefined();

    const stream = await readOnB(STREAM, { name: 'made-on-a' });
    expect(stream.res.data?.eventStream).toEqual({ name: 'made-on-a', tags: [] });
    expect(stream.calls).toEqual({ 'profile:GetEventStream': 1 });
    const list = await readOnB(LIST);
    expect(list.res.data?.eventStreams.nodes.map((n: { name: string }) => n.name)).toContain('made-on-a');
    expect(list.calls).toEqual({ 'profile:ListEventStreams': 1 });
  });

  it('tags updated on one are read on the other at once: the whole new set, removed keys gone', async () => {
    const name = 'retagged';
    const tags = [
      { key: 'keep', value: '1' },
      { key: 'drop', value: '2' },
    ];
    await a.query(CREATE, { input: { domainName: 'retail', name, uri: KDS, tags } });
    expect((await readOnB(STREAM, { name })).res.data?.eventStream.tags).toEqual([
      { key: 'drop', value: '2' },
      { key: 'keep', value: '1' },
    ]);
    expect((await readOnB(STREAM, { name })).calls).toEqual({});

    const newTags = [
      { key: 'keep', value: 'changed' },
      { key: 'added', value: '3' },
    ];
    const updated = await a.query(UPDATE, { input: { domainName: 'retail', name, tags: newTags } });
    expect(updated.errors).toBeUndefined();

    const after = await readOnB(STREAM, { name });
    expect(after.res.data?.eventStream.tags).toEqual([
      { key: 'added', value: '3' },
      { key: 'keep', value: 'changed' },
    ]);
    expect(after.calls).toEqual({ 'profile:GetEventStream': 1 });
  });

  it('a stream deleted on one is NOT_FOUND on the other, which had it cached', async () => {
    await a.query(CREATE, { input: { domainName: 'retail', name: 'short-lived', uri: KDS } });
    expect((await readOnB(STREAM, { name: 'short-lived' })).res.data?.eventStream.name).toBe('short-lived');
    await a.query(DELETE, { input: { domainName: 'retail', name: 'short-lived' } });
    const after = await readOnB(STREAM, { name: 'short-lived' });
    expect(after.res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(after.calls).toEqual({ 'profile:GetEventStream': 1 });
  });

  it('a stream created on one is CONFLICT when created again on the other', async () => {
    await a.query(CREATE, { input: { domainName: 'retail', name: 'taken', uri: KDS } });
    const again = await b.query(CREATE, { input: { domainName: 'retail', name: 'taken', uri: KDS } });
    expect(again.errors?.[0]?.extensions?.code, JSON.stringify(again.errors)).toBe('CONFLICT');
  });

  it('a tracker created on one, then deleted, is read on the other each time', async () => {
    const arn = arns.tracker(`replica-tracker-${store}`);
    const name = `replica-tracker-${store}`;
    const created = await a.query(
      `mutation($input: CreateEventTrackerInput!) { createEventTracker(input: $input) { __typename } }`,
      { input: { datasetGroupArn: arns.group('fresh'), name } },
    );
    expect(created.errors).toBeUndefined();
    expect((await readOnB(TRACKER, { arn })).res.data?.eventTracker).toEqual({ name, status: 'CREATE_PENDING' });
    await a.query(`mutation($arn: String!) { deleteEventTracker(input: { arn: $arn }) { deletedId } }`, { arn });
    const after = await readOnB(TRACKER, { arn });
    expect(after.res.data?.eventTracker).toEqual({ name, status: 'DELETE_PENDING' });
    expect(after.calls).toEqual({ 'personalize:DescribeEventTracker': 1 });
    // The next test of this file creates a tracker for the same group: this one must be gone by then.
    a.emulator.advanceClock(3600);
  });
});
