import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { freePort, startRedis } from '../helpers/redis.js';
import { type Stack, startStack } from '../helpers/stack.js';

describe('health probes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures() });
  });
  afterAll(() => stack?.close());

  it('answers /healthz with 200 and no caching', async () => {
    const res = await fetch(new URL('/healthz', stack.gateway.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 and its checks, skipping the cache check for the in-memory store', async () => {
    stack.resetCalls();
    const res = await fetch(new URL('/readyz', stack.gateway.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ready', checks: { schema: 'ok', aws: 'ok', cache: 'skipped' } });
    // Probes run every few seconds on every replica: they must not cost AWS calls.
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('readiness with Redis', () => {
  it('stays ready (200), with the cache reported degraded, while the configured Redis cannot be reached', async () => {
    const stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { REDIS_URL: `redis://127.0.0.1:${await freePort()}` },
    });
    try {
      // Every replica shares the one Redis: taking them all out of service would turn a slower cache into an outage.
      const res = await fetch(new URL('/readyz', stack.gateway.url));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ready', checks: { schema: 'ok', aws: 'ok', cache: 'degraded' } });
      // Liveness is a different question: the process is fine, restarting it would not bring Redis back.
      expect((await fetch(new URL('/healthz', stack.gateway.url))).status).toBe(200);
    } finally {
      await stack.close();
    }
  });

  it('is ready (200) once the configured Redis answers', async () => {
    const redis = await startRedis();
    const stack = await startStack({ fixtures: gatewayFixtures(), env: { REDIS_URL: redis.url } });
    try {
      const res = await fetch(new URL('/readyz', stack.gateway.url));
      expect(await res.json()).toEqual({ status: 'ready', checks: { schema: 'ok', aws: 'ok', cache: 'ok' } });
      expect(res.status).toBe(200);
    } finally {
      await stack.close();
      await redis.stop();
    }
  });
});
