import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { ResourceCache } from '../../src/cache/resource-cache.js';
import { deserializeEntry, serializeEntry } from '../../src/cache/store.js';
import { TtlPolicy, stateKey } from '../../src/cache/ttl-policy.js';

describe('cache entries', () => {
  it('round-trip models with dates through the Redis serialisation', () => {
    const entry = { v: { kind: 'InternetEvent', startedAt: new Date('2024-04-18T10:00:00.000Z'), nested: { at: new Date(0) }, n: null }, x: 123 };
    const back = deserializeEntry(serializeEntry(entry));
    expect(back).toEqual(entry);
    expect((back.v as any).startedAt).toBeInstanceOf(Date);
  });
});

describe('state-aware lifetimes', () => {
  it.each([
    ['InternetEvent', { status: 'RESOLVED' }, 'InternetEvent.RESOLVED'],
    ['InternetEvent', { status: 'ACTIVE' }, 'InternetEvent.ACTIVE'],
    ['EventTracker', { status: 'CREATE_IN_PROGRESS' }, 'EventTracker.TRANSITIONAL'],
    ['EventTracker', { status: 'DELETE_PENDING' }, 'EventTracker.TRANSITIONAL'],
    ['EventTracker', { status: 'ACTIVE' }, 'EventTracker.ACTIVE'],
    ['EventTracker', { status: 'UNKNOWN' }, 'EventTracker.UNKNOWN'],
    ['DatasetGroup', { status: 'CREATE IN_PROGRESS' }, 'DatasetGroup.TRANSITIONAL'],
    ['DatasetGroup', { status: 'ACTIVE' }, 'DatasetGroup.ACTIVE'],
    ['EventStream', { state: 'RUNNING', destination: { status: 'HEALTHY' } }, 'EventStream.RUNNING_HEALTHY'],
    ['EventStream', { state: 'RUNNING', destination: { status: 'UNHEALTHY' } }, 'EventStream.DEGRADED'],
    ['EventStream', { state: 'STOPPED', destination: { status: 'HEALTHY' } }, 'EventStream.DEGRADED'],
    ['EventStream', null, 'NotFound.ANY'],
  ] as const)('caches a %s in state %j under %s', (type, value, key) => {
    expect(stateKey(type, value)).toBe(key);
  });

  it('takes overrides per state and refuses unknown states', () => {
    expect(new TtlPolicy(TtlPolicy.parseOverrides('EventStream.DEGRADED=7')).ttlMs('EventStream', { state: 'STOPPED' })).toBe(7000);
    expect(() => TtlPolicy.parseOverrides('EventStream.SOMETIMES=7')).toThrow(/EventStream.DEGRADED/);
  });
});

describe('ResourceCache', () => {
  const event = (id: string, status = 'RESOLVED') => ({ kind: 'InternetEvent', eventId: id, status });

  it('fetches only the misses, in one call, and serves hits afterwards', async () => {
    const cache = new ResourceCache(new MemoryStore(100));
    const batches: string[][] = [];
    const fetch = async (ids: string[]) => {
      batches.push(ids);
      return new Map(ids.map((id) => [id, event(id)]));
    };
    await cache.resolve('InternetEvent', ['a', 'b'], {}, fetch);
    const again = await cache.resolve('InternetEvent', ['a', 'b', 'c'], {}, fetch);
    expect(again.map((e: any) => e.eventId)).toEqual(['a', 'b', 'c']);
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });

  it('never caches errors', async () => {
    const cache = new ResourceCache(new MemoryStore(100));
    let calls = 0;
    const failing = async (ids: string[]) => {
      calls++;
      return new Map(ids.map((id) => [id, new Error('boom')]));
    };
    expect((await cache.resolve('InternetEvent', ['a'], {}, failing))[0]).toBeInstanceOf(Error);
    expect((await cache.resolve('InternetEvent', ['a'], {}, failing))[0]).toBeInstanceOf(Error);
    expect(calls).toBe(2);
  });

  it('lets concurrent callers join one fetch in flight', async () => {
    const cache = new ResourceCache(new MemoryStore(100));
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = async (ids: string[]) => {
      calls++;
      await gate;
      return new Map(ids.map((id) => [id, event(id)]));
    };
    const first = cache.resolve('InternetEvent', ['a'], {}, slow);
    await new Promise((r) => setImmediate(r));
    const second = cache.resolve('InternetEvent', ['a'], {}, slow);
    release();
    const [x, y] = await Promise.all([first, second]);
    expect(x[0]).toBe(y[0]);
    expect(calls).toBe(1);
  });

  it('does not accept a cached value the caller finds incomplete', async () => {
    const cache = new ResourceCache(new MemoryStore(100));
    await cache.resolve('EventTracker', ['t'], {}, async () => new Map([['t', { kind: 'EventTracker', status: 'ACTIVE', complete: false }]]));
    const full = await cache.resolve('EventTracker', ['t'], { accept: (v: any) => v.complete, level: 'full' }, async () =>
      new Map([['t', { kind: 'EventTracker', status: 'ACTIVE', complete: true }]]),
    );
    expect((full[0] as any).complete).toBe(true);
  });

  it('reports the remaining lifetime of what it hands out, for cache hints', async () => {
    const cache = new ResourceCache(new MemoryStore(100));
    const [value] = await cache.resolve('InternetEvent', ['a'], {}, async () => new Map([['a', event('a', 'ACTIVE')]]));
    expect(cache.maxAgeOf('InternetEvent', value as object)).toBeGreaterThanOrEqual(29);
    expect(cache.maxAgeOf('InternetEvent', value as object)).toBeLessThanOrEqual(30);
  });
});
