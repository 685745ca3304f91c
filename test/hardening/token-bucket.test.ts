import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharedRedis } from '../../src/cache/redis-store.js';
import { TokenBuckets } from '../../src/security/token-bucket.js';
import { type PrivateRedis, startRedis } from '../helpers/redis.js';

/** The token buckets behind the per-caller limits: in memory, and shared by replicas through a real Redis. */

describe('token buckets in memory', () => {
  it('lets a burst through, then refills at the rate', async () => {
    let now = 0;
    const buckets = new TokenBuckets('test', { perSecond: 2, burst: 3 }, undefined, 'p:', () => now);
    const taken = [];
    for (let i = 0; i < 4; i++) taken.push((await buckets.take('a')).ok);
    expect(taken).toEqual([true, true, true, false]);
    expect(await buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 500;
    expect((await buckets.take('a')).ok).toBe(true);
    expect((await buckets.take('a')).ok).toBe(false);
    // Another key has its own bucket; a cost larger than one takes that many tokens.
    expect((await buckets.take('b', 3)).ok).toBe(true);
    expect(await buckets.take('b', 2)).toEqual({ ok: false, retryAfterSeconds: 1 });
  });

  it('never refuses when the rate is 0', async () => {
    const buckets = new TokenBuckets('test', { perSecond: 0, burst: 1 });
    for (let i = 0; i < 10; i++) expect((await buckets.take('a')).ok).toBe(true);
  });
});

describe('token buckets in Redis', () => {
  let redis: PrivateRedis;
  let one: SharedRedis;
  let two: SharedRedis;
  const settings = { url: '', commandTimeoutMs: 250, cooldownMs: 60_000 };
  beforeAll(async () => {
    redis = await startRedis();
    one = new SharedRedis({ ...settings, url: redis.url });
    two = new SharedRedis({ ...settings, url: redis.url });
    await Promise.all([one.whenReady(), two.whenReady()]);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await redis?.stop();
  });

  it('shares one bucket between two replicas, with the seconds until the next token', async () => {
    const prefix = `test:${randomUUID()}:`;
    const a = new TokenBuckets('calls', { perSecond: 0.5, burst: 4 }, one, prefix);
    const b = new TokenBuckets('calls', { perSecond: 0.5, burst: 4 }, two, prefix);
    const taken = [];
    for (let i = 0; i < 6; i++) taken.push(await (i % 2 === 0 ? a : b).take('caller'));
    expect(taken.map((t) => t.ok)).toEqual([true, true, true, true, false, false]);
    expect(taken[5]).toEqual({ ok: false, retryAfterSeconds: 2 });
    const ttl = await one.client.pttl(`${prefix}bucket:calls:caller`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(9_000);
  });

  it('keeps counting in memory on each replica when Redis is gone', async () => {
    const prefix = `test:${randomUUID()}:`;
    const a = new TokenBuckets('calls', { perSecond: 0.1, burst: 2 }, one, prefix);
    expect((await a.take('caller')).ok).toBe(true);
    await redis.kill();
    // The first take after the death may find the connection still up and fail on it; either way it is answered.
    const taken = [];
    for (let i = 0; i < 3; i++) taken.push((await a.take('caller')).ok);
    expect(taken).toEqual([true, true, false]);
  });
});
