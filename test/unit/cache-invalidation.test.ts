import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { ResourceCache, versionKeyOf } from '../../src/cache/resource-cache.js';
import { ResponseStore } from '../../src/cache/response-cache.js';
import { TtlPolicy } from '../../src/cache/ttl-policy.js';
import { buildCatalog } from '../../src/catalog.js';
import { modules } from '../../src/modules/index.js';
import {
  type ResourceIdentity,
  identityKey,
  listGroup,
  listGroupOf,
  listIdentity,
} from '../../src/resource/identity.js';

/** Invalidation after writes: versions that guard entries and list pages, in-flight calls, responses. */

const policy = new TtlPolicy(buildCatalog(modules).cacheStates);
const scope = { partition: 'aws', accountId: '111122223333' };
const stream = (name: string): ResourceIdentity => ({
  ...scope,
  region: 'us-east-1',
  service: 'profile',
  type: 'event-stream',
  id: `retail/${name}`,
});
const model = (name: string, tag: string) => ({
  kind: 'EventStream',
  state: 'RUNNING',
  destination: { status: 'HEALTHY' },
  name,
  tag,
});
const page = (token?: string) => listIdentity(scope, 'profile', 'us-east-1', 'ListEventStreams', 'retail', 100, token);

/** Resolves `identity` through `cache`, fetching `value` on a miss; counts the fetches. */
function resolver(cache: ResourceCache) {
  let fetches = 0;
  return {
    get fetches() {
      return fetches;
    },
    async get<T extends object>(identity: ResourceIdentity, value: T): Promise<T> {
      const [got] = await cache.resolve<T>([identity], { isList: identity.type.startsWith('list:') }, async () => {
        fetches++;
        return new Map([[identityKey(identity), value]]);
      });
      return got as T;
    },
  };
}

describe('ResourceCache.invalidate', () => {
  it('makes the next read of a written resource fetch again, and leaves the others cached', async () => {
    const cache = new ResourceCache(new MemoryStore(), policy);
    const reads = resolver(cache);
    await reads.get(stream('a'), model('a', 'old'));
    await reads.get(stream('b'), model('b', 'old'));
    await cache.invalidate([versionKeyOf(stream('a'))]);
    expect(await reads.get(stream('a'), model('a', 'new'))).toMatchObject({ tag: 'new' });
    expect(await reads.get(stream('b'), model('b', 'new'))).toMatchObject({ tag: 'old' });
    expect(reads.fetches).toBe(3);
    // The new value is cached under the new version.
    expect(await reads.get(stream('a'), model('a', 'newer'))).toMatchObject({ tag: 'new' });
  });

  it('invalidates every page of a list by its group, whatever the page token', async () => {
    const cache = new ResourceCache(new MemoryStore(), policy);
    const reads = resolver(cache);
    await reads.get(page(), { items: ['old'] });
    await reads.get(page('t1'), { items: ['old'] });
    const group = listGroup(scope, 'profile', 'us-east-1', 'ListEventStreams', 'retail');
    expect(identityKey(listGroupOf(page('t1')))).toBe(identityKey(group));
    await cache.invalidate([versionKeyOf(group)]);
    expect(await reads.get(page(), { items: ['new'] })).toEqual({ items: ['new'] });
    expect(await reads.get(page('t1'), { items: ['new'] })).toEqual({ items: ['new'] });
    // Another domain's list is another group.
    const other = listIdentity(scope, 'profile', 'us-east-1', 'ListEventStreams', 'bulk', 100, undefined);
    await reads.get(other, { items: ['bulk'] });
    await cache.invalidate([versionKeyOf(group)]);
    expect(await reads.get(other, { items: ['changed'] })).toEqual({ items: ['bulk'] });
  });

  it('does not keep a value fetched before the write and stored after it', async () => {
    const cache = new ResourceCache(new MemoryStore(), policy);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const early = cache.resolve([stream('race')], {}, async () => {
      await gate;
      return new Map([[identityKey(stream('race')), model('race', 'old')]]);
    });
    await new Promise((resolve) => setImmediate(resolve));
    await cache.invalidate([versionKeyOf(stream('race'))]);
    release();
    expect((await early)[0]).toMatchObject({ tag: 'old' });
    const reads = resolver(cache);
    expect(await reads.get(stream('race'), model('race', 'new'))).toMatchObject({ tag: 'new' });
    expect(reads.fetches).toBe(1);
  });

  it('keeps later requests from joining a call in flight since before the write', async () => {
    const cache = new ResourceCache(new MemoryStore(), policy);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const early = cache.resolve([stream('flight')], {}, async () => {
      await gate;
      return new Map([[identityKey(stream('flight')), model('flight', 'old')]]);
    });
    await new Promise((resolve) => setImmediate(resolve));
    await cache.invalidate([versionKeyOf(stream('flight'))]);
    const reads = resolver(cache);
    const late = reads.get(stream('flight'), model('flight', 'new'));
    release();
    expect(await late).toMatchObject({ tag: 'new' });
    expect(reads.fetches).toBe(1);
    await early;
  });

  it('is a no-op without a store (CACHE_STORE=none)', async () => {
    const cache = new ResourceCache(
      {
        kind: 'none',
        getMany: async (k) => k.map(() => undefined),
        set: async () => {},
        put: async () => {},
        clear: async () => {},
        ping: async () => true,
        close: async () => {},
      },
      policy,
    );
    await expect(cache.invalidate([versionKeyOf(stream('a'))])).resolves.toBeUndefined();
  });
});

describe('ResponseStore.invalidate', () => {
  it('drops every response, and moves the epoch that responses computed across it are checked against', async () => {
    const store = new ResponseStore({ maxBytes: 1024 * 1024, maxEntryBytes: 64 * 1024 });
    await store.set('q1', '{"data":1}', { ttl: 60 });
    const epoch = store.epoch;
    store.invalidate();
    expect(await store.get('q1')).toBeUndefined();
    expect(store.epoch).toBe(epoch + 1);
    store.stop();
  });
});
