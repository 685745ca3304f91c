import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type PrivateRedis, startRedis, waitFor } from '../helpers/redis.js';
import { type Stack, startStack } from '../helpers/stack.js';

const TRACKER = `query($arn: String!) { eventTracker(arn: $arn) { name status datasetGroup { name } } }`;
/**
 * Far above what one Redis command timeout (REDIS_COMMAND_TIMEOUT_MS=250 here) plus an emulator call cost, far below
 * what a request took when every cache read and write waited for its own timeout (about 2 s).
 */
const BOUND_MS = 1_000;
/**
 * Ten lookups in a row: the first may wait for one command timeout, then the circuit is open and the others skip
 * Redis. Waiting for a timeout per Redis command (rate limit, tracker, dataset group) would take 7.5 s or more.
 */
const TEN_LOOKUPS_BOUND_MS = 2_000;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

async function readiness(
  stack: Stack,
): Promise<{ status: number; body: { status: string; checks: Record<string, string> } }> {
  const res = await fetch(new URL('/readyz', stack.gateway.url));
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, string> } };
}

describe('a hung, then dead Redis', () => {
  let redis: PrivateRedis;
  let stack: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: {
        REDIS_URL: redis.url,
        CACHE_KEY_PREFIX: `test:${randomUUID()}:`,
        // Every request reaches the resource cache (and so Redis), and the rate limit counts in Redis too.
        RESPONSE_CACHE_MAX_BYTES: '0',
        RATE_LIMIT_PER_SECOND: '1000',
        REDIS_COMMAND_TIMEOUT_MS: '250',
        REDIS_COOLDOWN_MS: '500',
      },
    });
  });
  afterAll(async () => {
    await stack?.close();
    await redis?.stop();
  });

  const lookup = () => stack.query(TRACKER, { arn: arns.tracker('shop-tracker') });

  it('answers from Redis while it is healthy', async () => {
    expect((await lookup()).data!.eventTracker.name).toBe('shop-tracker');
    stack.resetCalls();
    expect((await lookup()).data!.eventTracker.name).toBe('shop-tracker');
    expect(stack.totalCalls()).toBe(0);
    expect(await readiness(stack)).toEqual({
      status: 200,
      body: { status: 'ready', checks: { schema: 'ok', aws: 'ok', cache: 'ok' } },
    });
  });

  it('answers every request from AWS within a bounded time while Redis hangs, and stays ready', async () => {
    redis.pause();
    stack.resetCalls();
    let total = 0;
    for (let i = 0; i < 10; i++) {
      const { value, ms } = await timed(lookup);
      expect(value.status).toBe(200);
      expect(value.data!.eventTracker).toEqual({
        name: 'shop-tracker',
        status: 'ACTIVE',
        datasetGroup: { name: 'shop' },
      });
      expect(ms).toBeLessThan(BOUND_MS);
      total += ms;
    }
    expect(total).toBeLessThan(TEN_LOOKUPS_BOUND_MS);
    // Cache reads miss, so every lookup went to AWS: a tracker and its dataset group.
    expect(stack.calls()).toEqual({ 'personalize:DescribeEventTracker': 10, 'personalize:DescribeDatasetGroup': 10 });
    const { value, ms } = await timed(() => readiness(stack));
    expect(value).toEqual({
      status: 200,
      body: { status: 'ready', checks: { schema: 'ok', aws: 'ok', cache: 'degraded' } },
    });
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('uses Redis again once it answers', async () => {
    redis.resume();
    await waitFor('the cache check to recover', async () => (await readiness(stack)).body.checks.cache === 'ok');
    await lookup();
    stack.resetCalls();
    await lookup();
    expect(stack.totalCalls()).toBe(0);
  });

  it('answers every request from AWS within a bounded time once Redis is dead, and stays ready', async () => {
    await redis.kill();
    stack.resetCalls();
    let total = 0;
    for (let i = 0; i < 10; i++) {
      const { value, ms } = await timed(lookup);
      expect(value.status).toBe(200);
      expect(value.data!.eventTracker.name).toBe('shop-tracker');
      expect(ms).toBeLessThan(BOUND_MS);
      total += ms;
    }
    expect(total).toBeLessThan(TEN_LOOKUPS_BOUND_MS);
    expect(stack.calls()).toEqual({ 'personalize:DescribeEventTracker': 10, 'personalize:DescribeDatasetGroup': 10 });
    expect(await readiness(stack)).toEqual({
      status: 200,
      body: { status: 'ready', checks: { schema: 'ok', aws: 'ok', cache: 'degraded' } },
    });
  });
});

describe('a Redis that is down from the start', () => {
  it('does not hold the gateway start, and answers from AWS', async () => {
    const redis = await startRedis();
    redis.pause();
    try {
      const { value: stack, ms } = await timed(() =>
        startStack({
          fixtures: gatewayFixtures(),
          env: { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '250', RATE_LIMIT_PER_SECOND: '1000' },
        }),
      );
      try {
        // The start waits at most about a second for Redis, then goes on without it.
        expect(ms).toBeLessThan(5_000);
        const { value, ms: queryMs } = await timed(() => stack.query(TRACKER, { arn: arns.tracker('shop-tracker') }));
        expect(value.data!.eventTracker.name).toBe('shop-tracker');
        expect(queryMs).toBeLessThan(BOUND_MS);
        expect((await readiness(stack)).status).toBe(200);
      } finally {
        await stack.close();
      }
    } finally {
      await redis.stop();
    }
  });
});
