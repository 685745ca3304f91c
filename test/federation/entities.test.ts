import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT, arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/*
 * `_entities` as routers call it, sent straight to the subgraph: batches with one reference per parent (duplicates
 * included), representations of every kind, several `_entities` fields merged into one request (Hive Gateway), and
 * representations that are malformed or name nothing. Exact AWS calls from the emulator's stats.
 */

const ORDERS = arns.stream('us-east-1', 'retail', 'orders');
const CLICKS = arns.stream('us-east-1', 'retail', 'clicks');
const BULK_0 = arns.stream('us-east-1', 'bulk', 'bulk-00');
const BULK_1 = arns.stream('us-east-1', 'bulk', 'bulk-01');
const STREAMS = [ORDERS, CLICKS, BULK_0, BULK_1];
const MISSING = arns.stream('us-east-1', 'retail', 'no-such-stream');
/** A well-formed ARN but for `//`: the input screen refuses it. */
const MALFORMED = `arn:aws:profile:us-east-1:${ACCOUNT}:domains/retail//event-streams/orders`;

const stream = (arn: string) => ({ __typename: 'EventStream', arn });
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on EventStream { arn name } } }`;

type Answer = Awaited<ReturnType<Stack['query']>>;
const errorsOf = (res: Answer) => res.errors?.map((e) => ({ path: e.path, code: e.extensions?.code }));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fixtures: gatewayFixtures(), env: { CACHE_STORE: 'none' } });
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetCalls());

describe('entity batches with duplicates', () => {
  it('resolves 120 references to 4 streams, counting 4 keys: one list page per domain', async () => {
    const representations = Array.from({ length: 120 }, (_, i) => stream(STREAMS[i % 4]!));
    const res = await stack.query(ENTITIES, { r: representations });
    expect(res.errors).toBeUndefined();
    expect(res.data?._entities).toHaveLength(120);
    expect(res.data?._entities[118]).toEqual({ arn: BULK_0, name: 'bulk-00' });
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 2 });
  });

  it('answers the good ones beside one malformed and one missing reference, each with its own error', async () => {
    const representations = Array.from({ length: 120 }, (_, i) => stream(STREAMS[i % 4]!));
    representations[7] = stream(MALFORMED);
    representations[9] = stream(MISSING);
    const res = await stack.query(ENTITIES, { r: representations });
    expect(res.status).toBe(200);
    const entities = res.data?._entities as unknown[];
    expect(entities.filter((e) => e === null)).toHaveLength(2);
    expect(entities[7]).toBeNull();
    expect(entities[9]).toBeNull();
    expect(entities[8]).toEqual({ arn: ORDERS, name: 'orders' });
    expect(errorsOf(res)).toEqual([
      { path: ['_entities', 7], code: 'BAD_USER_INPUT' },
      { path: ['_entities', 9], code: 'NOT_FOUND' },
    ]);
    expect(res.errors?.[1]?.message).toBe(`EventStream ${MISSING} was not found.`);
    // The missing stream's domain was listed to its end: known missing without a Get.
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 2 });
  });

  it('refuses, at its own index, a representation that is no entity’s or not an object', async () => {
    const res = await stack.query(ENTITIES, {
      r: [stream(ORDERS), { __typename: 'PageInfo', hasNextPage: true }, { __typename: 'Nope', arn: ORDERS }, 'x'],
    });
    expect(res.data?._entities).toEqual([{ arn: ORDERS, name: 'orders' }, null, null, null]);
    expect(errorsOf(res)).toEqual([
      { path: ['_entities', 1], code: 'BAD_USER_INPUT' },
      { path: ['_entities', 2], code: 'BAD_USER_INPUT' },
      { path: ['_entities', 3], code: 'BAD_USER_INPUT' },
    ]);
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 1 });
  });

  it('keeps node() and nodes() Relay’s way: a missing resource is null without an error', async () => {
    const res = await stack.query('query($ids: [ID!]!, $e: ID!) { nodes(ids: $ids) { id } node(id: $e) { id } }', {
      ids: [ORDERS, MISSING],
      e: arns.event('evt-nope'),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ nodes: [{ id: ORDERS }, null], node: null });
  });
});

describe('entity fetches merged into one request', () => {
  const TRACKERS = ['shop-tracker', 'shop-old', 'video-tracker'].map((n) => arns.tracker(n));
  const EVENTS = ['evt-active-1', 'evt-resolved-1'];
  /** 70 references each, as a router fetches the streams, trackers and events of 70 parents side by side. */
  const streams = () => Array.from({ length: 70 }, (_, i) => stream(STREAMS[i % 4]!));
  const trackers = () => Array.from({ length: 70 }, (_, i) => ({ __typename: 'EventTracker', arn: TRACKERS[i % 3]! }));
  const events = (): Array<Record<string, string>> =>
    Array.from({ length: 70 }, (_, i) => ({ __typename: 'InternetEvent', eventId: EVENTS[i % 2]! }));
  const FIELDS = '... on EventStream { name } ... on EventTracker { name } ... on InternetEvent { status }';
  const MERGED = `query($a: [_Any!]!, $b: [_Any!]!, $c: [_Any!]!) {
    a: _entities(representations: $a) { ${FIELDS} }
    b: _entities(representations: $b) { ${FIELDS} }
    c: _entities(representations: $c) { ${FIELDS} }
  }`;

  it('answers three aliased _entities of 70 over a few keys within the budget, for those keys’ calls', async () => {
    // Counted per representation, as before, this was 214 calls (each list's plan for 70 ids): refused.
    const res = await stack.query(MERGED, { a: streams(), b: trackers(), c: events() });
    expect(res.errors).toBeUndefined();
    for (const key of ['a', 'b', 'c']) expect(res.data?.[key]).toHaveLength(70);
    // The loaders are per request: 9 keys, one list page per stream domain, one for trackers, one for events.
    expect(stack.calls()).toEqual({
      'profile:ListEventStreams': 2,
      'personalize:ListEventTrackers': 1,
      'internetmonitor:ListInternetEvents': 1,
    });
  });

  it('keeps the other fields’ entities when one field holds a malformed representation', async () => {
    const c = events();
    c[3] = stream(MALFORMED);
    const res = await stack.query(MERGED, { a: streams(), b: trackers(), c });
    expect(errorsOf(res)).toEqual([{ path: ['c', 3], code: 'BAD_USER_INPUT' }]);
    expect(res.data?.a.every((e: unknown) => e !== null)).toBe(true);
    expect(res.data?.c.filter((e: unknown) => e === null)).toHaveLength(1);
  });
});

describe('MAX_ENTITIES', () => {
  let small: Stack;
  beforeAll(async () => {
    small = await startStack({ fixtures: gatewayFixtures(), env: { CACHE_STORE: 'none', MAX_ENTITIES: '3' } });
  });
  afterAll(() => small?.close());

  it('answers the first MAX_ENTITIES distinct keys, duplicates too, and refuses the others one by one', async () => {
    // Keys in order: orders, clicks, bulk-00 (admitted), bulk-01 (the fourth: refused), then duplicates.
    const representations = [ORDERS, CLICKS, ORDERS, BULK_0, BULK_1, CLICKS, BULK_1, BULK_0].map(stream);
    const res = await small.query(ENTITIES, { r: representations });
    expect(res.data?._entities.map((e: { name: string } | null) => e?.name ?? null)).toEqual([
      'orders',
      'clicks',
      'orders',
      'bulk-00',
      null,
      'clicks',
      null,
      'bulk-00',
    ]);
    expect(errorsOf(res)).toEqual([
      { path: ['_entities', 4], code: 'LIST_TOO_LONG' },
      { path: ['_entities', 6], code: 'LIST_TOO_LONG' },
    ]);
    expect(res.errors?.[0]?.extensions).toMatchObject({ limit: 3, argument: 'representations[4]' });
    // retail: one list page for two keys; bulk: one Get for the one admitted key.
    expect(small.calls()).toEqual({ 'profile:ListEventStreams': 1, 'profile:GetEventStream': 1 });
  });
});
