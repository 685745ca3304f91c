import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { ResourceCache } from '../../src/cache/resource-cache.js';
import { deserializeEntry, serializeEntry } from '../../src/cache/store.js';
import { TtlPolicy } from '../../src/cache/ttl-policy.js';
import { buildCatalog } from '../../src/catalog.js';
import { modules } from '../../src/modules/index.js';
import type { ResourceIdentity } from '../../src/resource/identity.js';

const states = buildCatalog(modules).cacheStates;
const policy = new TtlPolicy(states);
const known = TtlPolicy.defaults(states);
/** Internet event identities in one account. */
const ids = (...names: string[]): ResourceIdentity[] =>
  names.map((id) => ({
    partition: 'aws',
    accountId: '111122223333',
    region: '',
    service: 'internetmonitor',
    type: 'internet-event',
    id,
  }));
const key = (id: string) => `aws:111122223333::internetmonitor:internet-event/${id}`;

describe('cache entries', () => {
  it('round-trip models with dates through the Redis serialisation', () => {
    const entry = {
      v: {
        kind: 'InternetEvent',
        startedAt: new Date('2024-04-18T10:00:00.000Z'),
        nested: { at: new Date(0) },
        n: null,
      },
      x: 123,
    };
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
  ] as const)('caches a %s in state %j under %s', (type, value, stateKey) => {
    expect(policy.stateKey(value && { kind: type, ...value })).toBe(stateKey);
  });

  it('takes overrides per state and refuses unknown states', () => {
    const overridden = new TtlPolicy(states, TtlPolicy.parseOverrides('EventStream.DEGRADED=7', known));
    expect(overridden.ttlMs({ kind: 'EventStream', state: 'STOPPED' })).toBe(7000);
    expect(() => TtlPolicy.parseOverrides('EventStream.SOMETIMES=7', known)).toThrow(/EventStream.DEGRADED/);
  });
});

describe('ResourceCache', () => {
  const event = (id: string, status = 'RESOLVED') => ({ kind: 'InternetEvent', eventId: id, status });

  it('fetches only the misses, in one call, and serves hits afterwards', async () => {
    const cache = new ResourceCache(new MemoryStore(100), policy);
    const batches: string[][] = [];
    const fetch = async (missing: ResourceIdentity[]) => {
      batches.push(missing.map((m) => m.id));
      return new Map(missing.map((m) => [key(m.id), event(m.id)]));
    };
    await cache.resolve(ids('a', 'b'), {}, fetch);
    const again = await cache.resolve(ids('a', 'b', 'c'), {}, fetch);
    expect(again.map((e: any) => e.eventId)).toEqual(['a', 'b', 'c']);
    expect(batches).toEqual([['a', 'b'], ['c']]);
  });

  it('never caches errors', async () => {
    const cache = new ResourceCache(new MemoryStore(100), policy);
    let calls = 0;
    const failing = async (missing: ResourceIdentity[]) => {
      calls++;
      return new Map(missing.map((m) => [key(m.id), new Error('boom')]));
    };
    expect((await cache.resolve(ids('a'), {}, failing))[0]).toBeInstanceOf(Error);
    expect((await cache.resolve(ids('a'), {}, failing))[0]).toBeInstanceOf(Error);
    expect(calls).toBe(2);
  });

  it('lets concurrent callers join one fetch in flight', async () => {
    const cache = new ResourceCache(new MemoryStore(100), policy);
    let calls = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = async (missing: ResourceIdentity[]) => {
      calls++;
      await gate;
      return new Map(missing.map((m) => [key(m.id), event(m.id)]));
    };
    const first = cache.resolve(ids('a'), {}, slow);
    await new Promise((r) => setImmediate(r));
    const second = cache.resolve(ids('a'), {}, slow);
    release();
    const [x, y] = await Promise.all([first, second]);
    expect(x[0]).toBe(y[0]);
    expect(calls).toBe(1);
  });

  it('does not accept a cached value the caller finds incomplete', async () => {
    const cache = new ResourceCache(new MemoryStore(100), policy);
    await cache.resolve(
      ids('t'),
      {},
      async () => new Map([[key('t'), { kind: 'EventTracker', status: 'ACTIVE', complete: false }]]),
    );
    const full = await cache.resolve(
      ids('t'),
      { accept: (v: any) => v.complete, level: 'full' },
      async () => new Map([[key('t'), { kind: 'EventTracker', status: 'ACTIVE', complete: true }]]),
    );
    expect((full[0] as any).complete).toBe(true);
  });

  it('reports the remaining lifetime of what it hands out, for cache hints', async () => {
    const cache = new ResourceCache(new MemoryStore(100), policy);
    const [value] = await cache.resolve(ids('a'), {}, async () => new Map([[key('a'), event('a', 'ACTIVE')]]));
    expect(cache.maxAgeOf(value as object)).toBeGreaterThanOrEqual(29);
    expect(cache.maxAgeOf(value as object)).toBeLessThanOrEqual(30);
  });

  it('keeps resources of two accounts with the same name apart', async () => {
    const cache = new ResourceCache(new MemoryStore(100), policy);
    const [mine] = ids('a');
    const theirs = { ...(mine as ResourceIdentity), accountId: '444455556666' };
    await cache.resolve([mine as ResourceIdentity], {}, async () => new Map([[key('a'), event('mine')]]));
    let fetched = 0;
    const [other] = await cache.resolve([theirs], {}, async (missing) => {
      fetched += missing.length;
      return new Map([[`aws:444455556666::internetmonitor:internet-event/a`, event('theirs')]]);
    });
    expect(fetched).toBe(1);
    expect((other as any).eventId).toBe('theirs');
  });
});
