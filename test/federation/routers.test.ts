import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { subgraphSdl } from '../../scripts/print-schema.js';
import { ACCOUNT, arns, gatewayFixtures } from '../helpers/fixtures.js';
import {
  type RecordingProxy,
  type Router,
  startApolloRouter,
  startHiveRouter,
  startRecordingProxy,
} from '../helpers/routers.js';
import { type Stack, startStack } from '../helpers/stack.js';
import {
  NEIGHBOUR_TYPE_DEFS,
  type NeighbourData,
  type RunningSubgraph,
  startNeighbourSubgraph,
} from './neighbour-subgraph.js';

/*
 * The same queries through @apollo/gateway and Hive Gateway, each configured as the README's "Behind a router"
 * says, over a supergraph of our printed SDL and a neighbour with Relay's full PageInfo and a Tag of its own. A
 * recording proxy in front of our subgraph shows what each router sends it; the emulator counts the AWS calls.
 */

const ORDERS = arns.stream('us-east-1', 'retail', 'orders');
const CLICKS = arns.stream('us-east-1', 'retail', 'clicks');
const BULK_0 = arns.stream('us-east-1', 'bulk', 'bulk-00');
const BULK_1 = arns.stream('us-east-1', 'bulk', 'bulk-01');
const STREAMS = [ORDERS, CLICKS, BULK_0, BULK_1];
const MISSING = arns.stream('us-east-1', 'retail', 'no-such-stream');
const MALFORMED = `arn:aws:profile:us-east-1:${ACCOUNT}:domains/retail//event-streams/orders`;
const TRACKERS = ['shop-tracker', 'shop-old', 'video-tracker'].map((name) => arns.tracker(name));
const EVENTS = ['evt-active-1', 'evt-resolved-1'];

/** 120 references to 4 streams, the 8th malformed and the 10th missing. */
const WATCHED = Array.from({ length: 120 }, (_, i) => (i === 7 ? MALFORMED : i === 9 ? MISSING : STREAMS[i % 4]!));

const DATA: NeighbourData = {
  owners: { [ORDERS]: { name: 'Checkout', slackChannel: '#checkout' } },
  impactedCustomers: { 'evt-active-1': 1280 },
  incidents: [
    { id: 'INC-1', title: 'Orders missing', streamArns: [ORDERS], eventId: 'evt-active-1', labels: ['sev2'] },
    { id: 'INC-2', title: 'Clicks stopped', streamArns: [CLICKS], labels: ['sev3', 'web'] },
  ],
  watchedStreamArns: WATCHED,
  // Three lists of 70 references over 4 streams, 3 trackers and 2 events: three entity fetches side by side.
  dashboard: {
    streamArns: Array.from({ length: 70 }, (_, i) => STREAMS[i % 4]!),
    trackerArns: Array.from({ length: 70 }, (_, i) => TRACKERS[i % 3]!),
    eventIds: Array.from({ length: 70 }, (_, i) => EVENTS[i % 2]!),
  },
};

async function post(url: string, query: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  const text = await res.text();
  const body = JSON.parse(text) as {
    data?: any;
    errors?: Array<{ message: string; path?: unknown[]; extensions?: any }>;
  };
  return { status: res.status, headers: res.headers, text, ...body };
}

let stack: Stack;
let proxy: RecordingProxy;
let neighbour: RunningSubgraph;
let supergraphSdl: string;
const routers: Record<'apollo' | 'hive', Router> = {} as never;

beforeAll(async () => {
  // No shared cache: every lookup reaches the emulator, so call counts show what each request cost on its own.
  stack = await startStack({
    fixtures: gatewayFixtures(),
    env: { CACHE_STORE: 'none', FEDERATION_SECURITY_DIRECTIVES: 'false' },
  });
  proxy = await startRecordingProxy(stack.gateway.url);
  neighbour = await startNeighbourSubgraph(DATA);
  const composed = composeServices([
    { name: 'aws-events', typeDefs: parse(subgraphSdl({ securityDirectives: false })), url: proxy.url },
    { name: 'neighbour', typeDefs: parse(NEIGHBOUR_TYPE_DEFS), url: neighbour.url },
  ]);
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  supergraphSdl = composed.supergraphSdl;
  routers.apollo = await startApolloRouter(supergraphSdl);
  routers.hive = await startHiveRouter(supergraphSdl);
});

afterAll(async () => {
  await routers.hive?.close();
  await routers.apollo?.close();
  await neighbour?.close();
  await proxy?.close();
  await stack?.close();
});

beforeEach(() => {
  stack.resetCalls();
  proxy.requests.length = 0;
});

/** Nothing in an answer may name where the subgraph lives. */
function expectNoSubgraphAddress(text: string) {
  expect(text).not.toContain(proxy.url);
  expect(text).not.toContain(stack.gateway.url);
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|"response"/);
}

describe.each(['apollo', 'hive'] as const)('through %s', (name) => {
  const router = () => routers[name];

  it('resolves 120 references to 4 streams, one malformed and one missing, for one list page per domain', async () => {
    const res = await post(router().url, '{ watchedStreams { name state } }');
    expect(res.status).toBe(200);
    const streams = res.data.watchedStreams as Array<{ name: string } | null>;
    expect(streams).toHaveLength(120);
    expect(streams.map((s) => s?.name ?? null).slice(0, 10)).toEqual([
      'orders',
      'clicks',
      'bulk-00',
      'bulk-01',
      'orders',
      'clicks',
      'bulk-00',
      null,
      'orders',
      null,
    ]);
    expect(streams.filter((s) => s === null)).toHaveLength(2);
    // Each with its own code; @apollo/gateway maps the paths to the client's, Hive names the list.
    expect(res.errors?.map((e) => e.extensions?.code).sort()).toEqual(['BAD_USER_INPUT', 'NOT_FOUND']);
    for (const error of res.errors ?? []) expect(error.path?.[0]).toBe('watchedStreams');
    if (name === 'apollo')
      expect(res.errors?.map((e) => e.path)).toEqual([
        ['watchedStreams', 7],
        ['watchedStreams', 9],
      ]);
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 2 });
    // One entity fetch; @apollo/gateway sends every reference, Hive the distinct ones.
    expect(proxy.requests).toHaveLength(1);
    const sent = proxy.requests[0]!.body.variables?.representations as unknown[];
    expect(sent).toHaveLength(name === 'apollo' ? 120 : 6);
    expectNoSubgraphAddress(res.text);
  });

  it('answers a good root field beside a bad argument, keeping its code, leaking no subgraph address', async () => {
    const res = await post(
      router().url,
      `{ eventStream(domainName: "retail", name: "orders") { name }
         bad: eventStreams(domainName: "retail", first: 500) { nodes { name } } }`,
    );
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ eventStream: { name: 'orders' }, bad: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'Argument "first" must be between 1 and 100.',
        path: ['bad'],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'first' }),
      }),
    ]);
    // Both fields went in one subgraph fetch; the refused one cost nothing.
    expect(proxy.requests).toHaveLength(1);
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 1 });
    expectNoSubgraphAddress(res.text);
  });

  it('keeps the code of a whole-operation refusal, at zero AWS calls, leaking no subgraph address', async () => {
    const ids = JSON.stringify(Array.from({ length: 101 }, (_, i) => `evt-${i}`));
    const res = await post(router().url, `{ nodes(ids: ${ids}) { id } }`);
    expect(res.status).toBe(200);
    expect(res.data ?? null).toBeNull();
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['LIST_TOO_LONG']);
    expect(stack.totalCalls()).toBe(0);
    expectNoSubgraphAddress(res.text);
  });

  it('resolves three lists of 70 references side by side for the calls of their 9 keys', async () => {
    const res = await post(
      router().url,
      '{ dashboard { streams { name } trackers { name status } events { eventId status impactedCustomers } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.dashboard.streams).toHaveLength(70);
    expect(res.data.dashboard.trackers[69]).toEqual({ name: 'shop-tracker', status: 'ACTIVE' });
    expect(res.data.dashboard.events[0]).toEqual({
      eventId: 'evt-active-1',
      status: 'ACTIVE',
      impactedCustomers: 1280,
    });
    expect(stack.calls()).toEqual({
      'profile:ListEventStreams': 2,
      'personalize:ListEventTrackers': 1,
      'internetmonitor:ListInternetEvents': 1,
    });
    // @apollo/gateway sends three entity fetches; Hive merges them into one request of three aliased _entities.
    const entityFields = proxy.requests.map((r) => (r.body.query?.match(/_entities\(/g) ?? []).length);
    expect(entityFields).toEqual(name === 'apollo' ? [1, 1, 1] : [3]);
  });

  it('composes with a neighbour’s Relay PageInfo and own Tag, and answers both subgraphs’ connections', async () => {
    const res = await post(
      router().url,
      `{
        incidentPage(first: 1) {
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { node { labels { name } streams { name tags { key value } } } }
        }
        eventStreams(domainName: "bulk", first: 2) {
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          nodes { name }
        }
      }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.incidentPage).toEqual({
      pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: 'c-INC-1', endCursor: 'c-INC-1' },
      edges: [
        {
          node: {
            labels: [{ name: 'sev2' }],
            streams: [
              {
                name: 'orders',
                tags: [
                  { key: 'env', value: 'prod' },
                  { key: 'team', value: 'checkout' },
                ],
              },
            ],
          },
        },
      ],
    });
    const { pageInfo, nodes } = res.data.eventStreams;
    expect(nodes).toEqual([{ name: 'bulk-00' }, { name: 'bulk-01' }]);
    expect(pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(pageInfo.startCursor).toEqual(expect.any(String));
    expect(pageInfo.endCursor).toEqual(expect.any(String));
  });

  it('carries the subgraph’s cache hint to the client, and no-store for an answer with errors', async () => {
    const cacheable = await post(router().url, '{ internetEvent(eventId: "evt-resolved-1") { status } }');
    // A resolved event lives an hour; answered from the gateway's response cache (another router asked first), the
    // hint is what is left of that hour, so a second may have passed.
    const hint = /^max-age=(\d+), public$/.exec(cacheable.headers.get('cache-control') ?? '');
    expect(hint, cacheable.headers.get('cache-control') ?? 'no Cache-Control').not.toBeNull();
    expect(Number(hint![1])).toBeGreaterThan(3590);
    expect(Number(hint![1])).toBeLessThanOrEqual(3600);
    const withError = await post(router().url, '{ internetEvent(eventId: "evt-nope") { status } }');
    expect(withError.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(withError.headers.get('cache-control')).toBe('no-store');
  });

  it('forwards Cache-Control: no-cache, the request id and credentials to the subgraph', async () => {
    const headers = { 'cache-control': 'no-cache', 'x-request-id': `req-${name}-42`, authorization: 'Bearer t' };
    await post(router().url, '{ internetEvent(eventId: "evt-resolved-1") { status } }', headers);
    expect(proxy.requests).toHaveLength(1);
    expect(proxy.requests[0]!.headers).toMatchObject(headers);
  });
});

describe('Hive Gateway transport options', () => {
  const QUERY = '{ internetEvent(eventId: "evt-resolved-1") { status } }';

  it('has its GET fetches refused by CSRF prevention unless it sends a JSON content type with them', async () => {
    const plain = await startHiveRouter(supergraphSdl, { transport: { useGETForQueries: true } });
    try {
      const res = await post(plain.url, QUERY);
      expect(res.data?.internetEvent ?? null).toBeNull();
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_REQUEST']);
      expect(res.errors?.[0]?.message).toContain('Cross-Site Request Forgery');
      expect(proxy.requests.map((r) => r.method)).toEqual(['GET']);
      expect(stack.totalCalls()).toBe(0);
    } finally {
      await plain.close();
    }
    proxy.requests.length = 0;
    const withType = await startHiveRouter(supergraphSdl, {
      transport: { useGETForQueries: true, useContentTypeForGETRequests: true },
    });
    try {
      const res = await post(withType.url, QUERY);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ internetEvent: { status: 'RESOLVED' } });
      expect(proxy.requests.map((r) => [r.method, r.headers['content-type']])).toEqual([['GET', 'application/json']]);
    } finally {
      await withType.close();
    }
  });

  it('registers its operations with automatic persisted queries and then sends hashes only', async () => {
    const apq = await startHiveRouter(supergraphSdl, { transport: { apq: true } });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await post(apq.url, QUERY);
        expect(res.data).toEqual({ internetEvent: { status: 'RESOLVED' } });
      }
      const sent = proxy.requests.map((r) => [Boolean(r.body.query), Boolean(r.body.extensions?.persistedQuery)]);
      // Hash only (a miss), hash and text (registered), then the hash alone.
      expect(sent).toEqual([
        [false, true],
        [true, true],
        [false, true],
      ]);
    } finally {
      await apq.close();
    }
  });
});

describe('@apollo/gateway data source options', () => {
  it('registers its operations with automatic persisted queries (apq: true) and then sends hashes only', async () => {
    const apq = await startApolloRouter(supergraphSdl, { apq: true });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await post(apq.url, '{ internetEvent(eventId: "evt-resolved-1") { status } }');
        expect(res.data).toEqual({ internetEvent: { status: 'RESOLVED' } });
      }
      const sent = proxy.requests.map((r) => [Boolean(r.body.query), Boolean(r.body.extensions?.persistedQuery)]);
      expect(sent).toEqual([
        [false, true],
        [true, true],
        [false, true],
      ]);
    } finally {
      await apq.close();
    }
  });
});
