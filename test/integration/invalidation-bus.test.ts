import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheInvalidator } from '../../src/cache/invalidation.js';
import { InvalidationBus } from '../../src/cache/invalidation-bus.js';
import { MemoryStore } from '../../src/cache/memory-store.js';
import { RedisStore, SharedRedis } from '../../src/cache/redis-store.js';
import { ResourceCache } from '../../src/cache/resource-cache.js';
import { ResponseStore } from '../../src/cache/response-cache.js';
import { TtlPolicy } from '../../src/cache/ttl-policy.js';
import { buildCatalog } from '../../src/catalog.js';
import { modules } from '../../src/modules/index.js';
import { type ResourceIdentity, identityKey } from '../../src/resource/identity.js';
import { type PrivateRedis, startRedis, waitFor } from '../helpers/redis.js';

/** Cache invalidation across replicas: a private Redis, its pub/sub, and the stores and caches on either side. */

const policy = new TtlPolicy(buildCatalog(modules).cacheStates);
const stream = (name: string): ResourceIdentity => ({
  partition: 'aws',
  accountId: '111122223333',
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

function resolver(cache: ResourceCache) {
  return async <T extends object>(identity: ResourceIdentity, value: T): Promise<T> => {
    const [got] = await cache.resolve<T>([identity], {}, async () => new Map([[identityKey(identity), value]]));
    return got as T;
  };
}

describe('replicas over Redis', () => {
  let redis: PrivateRedis;
  const connections: SharedRedis[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const connection of connections) await connection.close();
    await redis?.stop();
  });

  /** `hears: false`: the replica's announcements never arrive (as one that comes after the next read). */
  function replica(storeKind: 'redis' | 'memory', hears = true) {
    const connection = new SharedRedis({ url: redis.url, commandTimeoutMs: 500, cooldownMs: 1000 });
    connections.push(connection);
    const store = storeKind === 'redis' ? new RedisStore(connection, { prefix: 'unit:' }) : new MemoryStore();
    const cache = new ResourceCache(store, policy);
    const responses = new ResponseStore({ maxBytes: 1024 * 1024, maxEntryBytes: 64 * 1024 });
    let invalidator: CacheInvalidator | undefined;
    const bus = new InvalidationBus(connection, 'unit:invalidations', (keys) => {
      if (hears) void invalidator?.received(keys);
    });
    invalidator = new CacheInvalidator(cache, responses, bus);
    return { connection, cache, responses, invalidator };
  }

  it('RedisStore.put resolves once Redis holds the entries', async () => {
    const { connection, cache } = replica('redis');
    await connection.whenReady();
    await cache.store.put([{ key: 'put-test', entry: { v: 'x', x: Date.now() + 60_000 }, ttlMs: 60_000 }]);
    const [entry] = await cache.store.getMany(['put-test']);
    expect(entry).toEqual({ v: 'x', x: expect.any(Number) });
  });

  it("a write on one replica empties the other's response cache and its memory store's entry", async () => {
    const one = replica('memory');
    const two = replica('memory');
    await Promise.all([one.connection.whenReady(), two.connection.whenReady()]);
    await Promise.all([one.invalidator.ready(), two.invalidator.ready()]);
    const read = resolver(two.cache);
    await read(stream('shared'), model('shared', 'old'));
    await two.responses.set('response', '{}', { ttl: 60 });

    const outcome = await one.invalidator.invalidate([stream('shared')], []);
    expect(outcome).toEqual({ complete: true });
    await waitFor('the other replica to hear of it', async () => (await two.responses.get('response')) === undefined);
    expect(await read(stream('shared'), model('shared', 'new'))).toMatchObject({ tag: 'new' });
    // A replica does not act on its own announcement.
    await one.responses.set('mine', '{}', { ttl: 60 });
    await two.invalidator.invalidate([stream('other')], []);
    await waitFor('the announcement to arrive', async () => (await one.responses.get('mine')) === undefined);
  });

  it('a replica that has not heard of a write yet still reads the new state: it checks the write count first', async () => {
    const one = replica('memory');
    const two = replica('memory', false);
    await Promise.all([one.connection.whenReady(), two.connection.whenReady()]);
    const read = resolver(two.cache);
    await two.invalidator.catchUp();
    await read(stream('late'), model('late', 'old'));
    await two.responses.set('response', '{}', { ttl: 60 });
    await two.invalidator.catchUp();
    // Nothing written in between: the memory answers.
    expect(await read(stream('late'), model('late', 'ignored'))).toMatchObject({ tag: 'old' });
    expect(await two.responses.get('response')).toBe('{}');

    expect(await one.invalidator.invalidate([stream('late')], [])).toEqual({ complete: true });
    // What a request does before it reads (context.ts): the count moved, so the memory goes.
    await two.invalidator.catchUp();
    expect(await two.responses.get('response')).toBeUndefined();
    expect(await read(stream('late'), model('late', 'new'))).toMatchObject({ tag: 'new' });
  });

  it('reports an invalidation Redis could not take as incomplete', async () => {
    const broken = new SharedRedis({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 100, cooldownMs: 1000 });
    connections.push(broken);
    const cache = new ResourceCache(new RedisStore(broken, { prefix: 'unit:' }), policy);
    const invalidator = new CacheInvalidator(cache, undefined, undefined);
    expect(await invalidator.invalidate([stream('x')], [])).toEqual({ complete: false });
  });
});
