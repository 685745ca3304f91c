import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { generateFixtures } from '../../src/emulator/generate.js';
import { spawnEntryPoint } from '../helpers/cli.js';
import { ACCOUNT, arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type PrivateRedis, startRedis } from '../helpers/redis.js';
import { type Stack, startStack } from '../helpers/stack.js';

const OTHER_ACCOUNT = '444455556666';

const metricsText = async (stack: Stack) => (await fetch(stack.gateway.url.replace(/\/graphql$/, '/metrics'))).text();

const TRACKER = `query($arn: String!) { eventTracker(arn: $arn) { name status } }`;
const EVENT = `query($id: String!) { internetEvent(eventId: $id) { eventId status } }`;

describe('shared cache (in memory)', () => {
  let stack: Stack;
  beforeAll(async () => {
    // Transitional trackers are not cached at all here, so the state-aware TTL shows without waiting.
    stack = await startStack({ fixtures: gatewayFixtures(), env: { CACHE_TTLS: 'EventTracker.TRANSITIONAL=0' } });
  });
  afterAll(() => stack?.close());
  afterEach(() => {
    stack.emulator.clearFaults();
    stack.resetCalls();
  });

  it('answers a repeated query from the cache without any AWS call', async () => {
    await stack.query(TRACKER, { arn: arns.tracker('shop-tracker') });
    expect(stack.totalCalls()).toBe(1);
    stack.resetCalls();
    const again = await stack.query(TRACKER, { arn: arns.tracker('shop-tracker') });
    expect(again.data!.eventTracker).toEqual({ name: 'shop-tracker', status: 'ACTIVE' });
    expect(stack.totalCalls()).toBe(0);
  });

  it('keeps transitional trackers only as long as their state allows (here: not at all)', async () => {
    await stack.query(TRACKER, { arn: arns.tracker('video-tracker') });
    await stack.query(TRACKER, { arn: arns.tracker('video-tracker') });
    expect(stack.calls()).toEqual({ 'personalize:DescribeEventTracker': 2 });
  });

  it('bypasses cached data for a request sent with Cache-Control: no-cache, and refreshes the cache', async () => {
    await stack.query(EVENT, { id: 'evt-resolved-1' });
    stack.resetCalls();
    await stack.query(EVENT, { id: 'evt-resolved-1' }, { 'cache-control': 'no-cache' });
    expect(stack.calls()).toEqual({ 'internetmonitor:GetInternetEvent': 1 });
    stack.resetCalls();
    await stack.query(EVENT, { id: 'evt-resolved-1' });
    expect(stack.totalCalls()).toBe(0);
  });

  it('shares one in-flight AWS call between concurrent requests for the same resource', async () => {
    stack.emulator.setFaults({ latencyMs: 150 });
    const results = await Promise.all(Array.from({ length: 8 }, () => stack.query(EVENT, { id: 'evt-bulk-2' })));
    expect(results.every((r) => r.data?.internetEvent?.eventId === 'evt-bulk-2')).toBe(true);
    expect(stack.calls()).toEqual({ 'internetmonitor:GetInternetEvent': 1 });
  });

  it('sends Cache-Control hints that follow the state of what the response contains', async () => {
    const resolved = await stack.query(EVENT, { id: 'evt-bulk-4' });
    // The remaining lifetime, in whole seconds: 3600 at the instant of the AWS call, 3599 a millisecond later.
    expect(resolved.headers.get('cache-control')).toMatch(/^max-age=(3599|3600), public$/);
    const active = await stack.query(EVENT, { id: 'evt-active-1' });
    expect(active.headers.get('cache-control')).toMatch(/^max-age=(2\d|30), public$/);
    const mixed = await stack.query(
      `{ a: internetEvent(eventId: "evt-bulk-4") { eventId } b: internetEvent(eventId: "evt-active-1") { eventId } }`,
    );
    expect(mixed.headers.get('cache-control')).toMatch(/^max-age=(2\d|30), public$/);
    const failed = await stack.query(EVENT, { id: 'no-such-event' });
    expect(failed.headers.get('cache-control') ?? '').not.toMatch(/max-age/);
  });

  it('exposes AWS calls, cache results and batch sizes in Prometheus format', async () => {
    await stack.query(EVENT, { id: 'evt-bulk-1' });
    // Another selection of the same event: not the same response, so the resource cache answers it.
    await stack.query(`query($id: String!) { internetEvent(eventId: $id) { eventId type } }`, { id: 'evt-bulk-1' });
    const text = await metricsText(stack);
    expect(text).toMatch(
      /gateway_aws_calls_total\{service="internetmonitor",operation="GetInternetEvent",region="us-east-1",outcome="ok"\} \d+/,
    );
    expect(text).toMatch(/gateway_cache_requests_total\{type="internet-event",result="hit"\} [1-9]/);
    expect(text).toMatch(/gateway_aws_call_duration_seconds_bucket/);
    expect(text).toMatch(/gateway_loader_batch_size_count\{loader="internetEvent"\} [1-9]/);
  });
});

describe('whole-response cache', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures() });
  });
  afterAll(() => stack?.close());

  const DASHBOARD = `query Dash($t: String!) {
    internetEvent(eventId: "evt-resolved-1") { eventId status }
    eventStream(domainName: "retail", name: "orders") { name state }
    eventTracker(arn: $t) { name datasetGroup { name } }
  }`;

  it('keeps a response once its operation is asked for again, then answers it from memory with its age', async () => {
    const first = await stack.query(DASHBOARD, { t: arns.tracker('shop-tracker') });
    // Its first sighting: executed and answered, not kept.
    const second = await stack.query(DASHBOARD, { t: arns.tracker('shop-tracker') });
    expect(second.headers.get('age')).toBeNull();
    stack.resetCalls();
    const third = await stack.query(DASHBOARD, { t: arns.tracker('shop-tracker') });
    expect(third.data).toEqual(first.data);
    expect(third.headers.get('age')).toMatch(/^\d+$/);
    // The hint is what is left of the kept response's lifetime: a second may have passed since.
    const maxAge = (r: typeof first) => Number(/max-age=(\d+)/.exec(r.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge(first) - maxAge(third)).toBeGreaterThanOrEqual(0);
    expect(maxAge(first) - maxAge(third)).toBeLessThanOrEqual(1);
    expect(third.headers.get('cache-control')).toMatch(/, public$/);
    expect(stack.totalCalls()).toBe(0);
  });

  it('never keeps a response asked for only once, and counts it', async () => {
    const metric = async () =>
      Number(/^gateway_response_cache_first_sightings_total (\d+)/m.exec(await metricsText(stack))?.[1] ?? 0);
    const before = await metric();
    const once = '{ eventStream(domainName: "retail", name: "orders") { name arn } }';
    await stack.query(once);
    expect(await metric()).toBe(before + 1);
    await stack.query('{ eventStream(domainName: "retail", name: "orders") { arn } }');
    expect(await metric()).toBe(before + 2);
    // Asked again: kept this time (not counted), answered from memory the time after.
    await stack.query(once);
    expect(await metric()).toBe(before + 2);
    expect((await stack.query(once)).headers.get('age')).toMatch(/^\d+$/);
    // An answer with errors is never kept, so it is no first sighting either.
    await stack.query('{ eventStream(domainName: "retail", name: "not-there") { arn } }');
    expect(await metric()).toBe(before + 2);
  });

  it('keeps the first response too with RESPONSE_CACHE_ADMISSION=first', async () => {
    const eager = await startStack({ fixtures: gatewayFixtures(), env: { RESPONSE_CACHE_ADMISSION: 'first' } });
    try {
      await eager.query(DASHBOARD, { t: arns.tracker('shop-tracker') });
      eager.resetCalls();
      const second = await eager.query(DASHBOARD, { t: arns.tracker('shop-tracker') });
      expect(second.headers.get('age')).toMatch(/^\d+$/);
      expect(eager.totalCalls()).toBe(0);
    } finally {
      await eager.close();
    }
  });

  it('keys responses by variables', async () => {
    await stack.query(DASHBOARD, { t: arns.tracker('shop-tracker') });
    const other = await stack.query(DASHBOARD, { t: arns.tracker('custom-failed') });
    expect(other.data!.eventTracker).toEqual({ name: 'custom-failed', datasetGroup: { name: 'custom' } });
    expect(other.headers.get('age')).toBeNull();
  });

  it('is skipped by Cache-Control: no-cache', async () => {
    await stack.query(DASHBOARD, { t: arns.tracker('shop-tracker') });
    stack.resetCalls();
    const fresh = await stack.query(DASHBOARD, { t: arns.tracker('shop-tracker') }, { 'cache-control': 'no-cache' });
    expect(fresh.headers.get('age')).toBeNull();
    expect(stack.totalCalls()).toBe(4);
  });

  it('does not keep the answer to a Cache-Control: no-cache request', async () => {
    const orders = '{ eventStream(domainName: "retail", name: "orders") { name state destination { uri } } }';
    // Twice, so that admission on second sighting would keep it if no-cache answers were offered to the cache.
    await stack.query(orders, undefined, { 'cache-control': 'no-cache' });
    await stack.query(orders, undefined, { 'cache-control': 'no-cache' });
    stack.resetCalls();
    const next = await stack.query(orders);
    // Executed again (no age), from the resource cache the no-cache request refreshed.
    expect(next.headers.get('age')).toBeNull();
    expect(stack.totalCalls()).toBe(0);
  });

  it('never keeps a response with errors', async () => {
    const missing = `{ eventStream(domainName: "retail", name: "not-there") { name } }`;
    await stack.query(missing);
    await stack.query(missing);
    stack.resetCalls();
    const again = await stack.query(missing);
    expect(again.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect(again.headers.get('age')).toBeNull();
  });
});

describe('cache bounds', () => {
  it('evicts the least recently used entries beyond CACHE_MAX_ENTRIES', async () => {
    // The whole-response cache is off here: this is about the resource cache's own bound.
    const stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { CACHE_MAX_ENTRIES: '2', RESPONSE_CACHE_MAX_BYTES: '0' },
    });
    try {
      for (const id of ['evt-bulk-0', 'evt-bulk-1', 'evt-bulk-2']) await stack.query(EVENT, { id });
      stack.resetCalls();
      await stack.query(EVENT, { id: 'evt-bulk-0' });
      expect(stack.totalCalls()).toBe(1);
      const text = await metricsText(stack);
      expect(text).toMatch(/gateway_cache_evictions_total [1-9]/);
      // What each in-process cache holds, read at the scrape: the two entries the bound leaves, and their bytes.
      const store = stack.gateway.services.cache.store as MemoryStore;
      expect(text).toContain('gateway_memory_cache_entries{cache="resources"} 2');
      expect(text).toContain(`gateway_memory_cache_bytes{cache="resources"} ${store.bytes}`);
      expect(store.bytes).toBeGreaterThan(0);
      expect(text).toMatch(/gateway_memory_cache_bytes\{cache="first-pages"\} \d+/);
      expect(text).toContain('gateway_response_cache_evictions_total 0');
      // RESPONSE_CACHE_MAX_BYTES=0: no response cache, so no series for it.
      expect(text).not.toContain('cache="responses"');
    } finally {
      await stack.close();
    }
  });

  it('stays within CACHE_MAX_BYTES when every request lists internet events from a new start time', async () => {
    // The attack that grew the process to 946 MB: each new $t is a new cached page of 100 events.
    const fixtures = generateFixtures({
      regions: 1,
      domainsPerRegion: 1,
      streamsPerDomain: 1,
      datasetGroupsPerRegion: 1,
      internetEvents: 150,
    });
    const stack = await startStack({
      fixtures,
      env: { CACHE_MAX_BYTES: String(1024 ** 2), RESPONSE_CACHE_MAX_BYTES: '0' },
    });
    try {
      const store = stack.gateway.services.cache.store as MemoryStore;
      expect(store).toBeInstanceOf(MemoryStore);
      const page = `query($t: DateTime) { internetEvents(startTime: $t, first: 100) { nodes { eventId startedAt clientLocation { city } } } }`;
      for (let i = 0; i < 40; i++) {
        const res = await stack.query(page, { t: new Date(Date.UTC(2000, 0, 1) + i * 1000).toISOString() });
        expect(res.data!.internetEvents.nodes).toHaveLength(100);
        expect(store.bytes).toBeLessThanOrEqual(1024 ** 2);
      }
      // About twelve pages of some 84 KB fit; the other pages were pushed out.
      expect(store.size).toBeLessThan(15);
      expect(stack.totalCalls()).toBe(40);
    } finally {
      await stack.close();
    }
  });
});

describe('shared cache in Redis', () => {
  let stack: Stack;
  let child: ChildProcess | undefined;
  // A Redis of the test's own: nothing to have running before `npm test`.
  let redis: PrivateRedis;
  const prefix = `test:${randomUUID()}:`;
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { REDIS_URL: redis.url, CACHE_KEY_PREFIX: prefix },
    });
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await stack?.close();
    await redis?.stop();
  });

  it('lets a second gateway process answer what the first one fetched without any AWS call', async () => {
    await stack.query(TRACKER, { arn: arns.tracker('shop-tracker') });
    expect(stack.totalCalls()).toBe(1);
    stack.resetCalls();

    child = spawnEntryPoint('gateway', {
      env: {
        PORT: '0',
        LOG_LEVEL: 'silent',
        AWS_ENDPOINT_URL: stack.emulator.url,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        REDIS_URL: redis.url,
        CACHE_KEY_PREFIX: prefix,
      },
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`second gateway did not start: ${out}`)), 20_000);
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /ready at (http:\/\/\S+\/graphql)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child!.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child!.on('exit', (code) => reject(new Error(`second gateway exited with ${code}: ${out}`)));
    });
    // At start it learnt its account, which is part of every cache key.
    expect(stack.calls()).toEqual({ 'sts:GetCallerIdentity': 1 });
    stack.resetCalls();

    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: TRACKER, variables: { arn: arns.tracker('shop-tracker') } }),
    });
    expect(await res.json()).toEqual({ data: { eventTracker: { name: 'shop-tracker', status: 'ACTIVE' } } });
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('one Redis shared by deployments of two accounts', () => {
  const prefix = `test:${randomUUID()}:`;
  let server: PrivateRedis;
  /** The same domain and stream names in another account, with other data. */
  function otherAccount() {
    const fixtures = JSON.parse(JSON.stringify(gatewayFixtures()).replaceAll(ACCOUNT, OTHER_ACCOUNT)) as ReturnType<
      typeof gatewayFixtures
    >;
    const orders = fixtures.regions['us-east-1']?.customerProfiles?.domains?.[0]?.eventStreams?.[0];
    if (orders) orders.Tags = { team: 'other-account' };
    return fixtures;
  }
  let mine: Stack;
  let theirs: Stack;
  beforeAll(async () => {
    server = await startRedis();
    const redis = { REDIS_URL: server.url, CACHE_KEY_PREFIX: prefix };
    mine = await startStack({ fixtures: gatewayFixtures(), env: redis });
    theirs = await startStack({ fixtures: otherAccount(), env: redis });
  });
  afterAll(async () => {
    await mine?.close();
    await theirs?.close();
    await server?.stop();
  });

  it('never answers one account with the other account’s stream of the same name', async () => {
    const query = '{ eventStream(domainName: "retail", name: "orders") { arn tags { key value } } }';
    const first = await mine.query(query);
    const second = await theirs.query(query);
    expect(first.data?.eventStream.arn).toContain(`:${ACCOUNT}:`);
    expect(second.data?.eventStream).toEqual({
      arn: arns.stream('us-east-1', 'retail', 'orders').replace(ACCOUNT, OTHER_ACCOUNT),
      tags: [{ key: 'team', value: 'other-account' }],
    });
    // The second deployment asked its own AWS: nothing of the first one's cache was used.
    expect(theirs.calls()).toEqual({ 'profile:GetEventStream': 1 });
    // And each still answers from the shared cache for itself.
    mine.resetCalls();
    expect((await mine.query(query)).data?.eventStream.arn).toContain(`:${ACCOUNT}:`);
    expect(mine.totalCalls()).toBe(0);
  });
});
