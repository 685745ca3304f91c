import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { MemoryStore, estimateEntryBytes } from '../../src/cache/memory-store.js';
import { ResponseStore } from '../../src/cache/response-cache.js';
import { internetEventPageEntry, internetEventsWireText } from '../helpers/internet-event-page.js';
import { waitFor } from '../helpers/redis.js';

const MiB = 1024 ** 2;
const wire = internetEventsWireText();
/** The key of the attack: a new `startTime` per request is a new list page per request. */
const pageKey = (i: number) =>
  `List:internetmonitor:ListInternetEvents:${new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString()}///:100:`;

describe('memory store bounds', () => {
  it('never holds more estimated bytes than CACHE_MAX_BYTES while large pages keep coming', async () => {
    let evictions = 0;
    const store = new MemoryStore({ maxBytes: 2 * MiB, onEvict: () => evictions++ });
    const page = internetEventPageEntry(wire);
    const perPage = estimateEntryBytes(pageKey(0), page);
    for (let i = 0; i < 300; i++) {
      await store.set(pageKey(i), internetEventPageEntry(wire), 3_600_000);
      expect(store.bytes).toBeLessThanOrEqual(2 * MiB);
    }
    // As many pages as fit, the newest ones; the rest were pushed out.
    expect(store.size).toBe(Math.floor((2 * MiB) / perPage));
    expect(evictions).toBe(300 - store.size);
    expect((await store.getMany([pageKey(299), pageKey(0)])).map(Boolean)).toEqual([true, false]);
    await store.close();
  });

  it('keeps CACHE_MAX_ENTRIES as a second bound for small entries', async () => {
    const store = new MemoryStore({ maxEntries: 10, maxBytes: 64 * MiB });
    for (let i = 0; i < 100; i++)
      await store.set(`InternetEvent:evt-${i}`, { v: { eventId: `evt-${i}` }, x: Date.now() + 60_000 }, 60_000);
    expect(store.size).toBe(10);
    // The least recently used go first, and each counts as an eviction.
    let evictions = 0;
    const lru = new MemoryStore({ maxEntries: 2, maxBytes: 64 * MiB, onEvict: () => evictions++ });
    const entry = { v: { eventId: 'e' }, x: Date.now() + 60_000 };
    await lru.set('a', entry, 60_000);
    await lru.set('b', entry, 60_000);
    await lru.getMany(['a']);
    await lru.set('c', entry, 60_000);
    await lru.set('c', entry, 60_000);
    expect((await lru.getMany(['a', 'b', 'c'])).map(Boolean)).toEqual([true, false, true]);
    expect(evictions).toBe(1);
    await store.close();
    await lru.close();
  });

  it('takes memory for the entries it holds, not for the entry bound', async () => {
    const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const before = used();
    // lru-cache's own `max` would allocate index arrays for ten million entries here: over 200 MB.
    const store = new MemoryStore({ maxEntries: 10_000_000, maxBytes: 64 * 1024 ** 3 });
    await store.set('InternetEvent:evt-1', { v: { eventId: 'evt-1' }, x: Date.now() + 60_000 }, 60_000);
    expect(used() - before).toBeLessThan(8 * MiB);
    await store.close();
  });

  it('does not store an entry larger than CACHE_MAX_ENTRY_BYTES, nor keep an older value under its key', async () => {
    const store = new MemoryStore({ maxBytes: 8 * MiB, maxEntryBytes: 64 * 1024 });
    const key = pageKey(0);
    await store.set(key, { v: { items: [] }, x: Date.now() + 60_000 }, 60_000);
    expect(store.size).toBe(1);
    // One 100-item page is estimated at about 80 KB: over this cap.
    await store.set(key, internetEventPageEntry(wire), 60_000);
    expect(await store.getMany([key])).toEqual([undefined]);
    expect(store.bytes).toBe(0);
    await store.close();
  });

  it('drops expired entries without anyone reading them', async () => {
    const store = new MemoryStore({ maxBytes: 64 * MiB, purgeIntervalMs: 20 });
    for (let i = 0; i < 50; i++) await store.set(pageKey(i), internetEventPageEntry(wire), 30);
    await store.set('InternetEvent:long-lived', { v: { eventId: 'long-lived' }, x: Date.now() + 3_600_000 }, 3_600_000);
    expect(store.size).toBe(51);
    const full = store.bytes;
    // Only the sweep can remove them: nothing reads the store until the wait is over.
    await waitFor('expired pages to be swept', () => store.size === 1, 5_000);
    expect(store.bytes).toBeLessThan(full / 50);
    expect((await store.getMany(['InternetEvent:long-lived']))[0]).toBeDefined();
    await store.close();
  });

  it('prices a cyclic or absurdly deep value as too big to keep, rather than looping', async () => {
    const cyclic: Record<string, unknown> = { kind: 'InternetEvent' };
    cyclic.self = cyclic;
    const store = new MemoryStore({ maxBytes: 8 * MiB });
    await store.set('InternetEvent:cyclic', { v: cyclic, x: Date.now() + 60_000 }, 60_000);
    expect(store.size).toBe(0);
    await store.close();
  });
});

describe('response cache bounds', () => {
  /** What the plugin stores under what key: a sha256-named key and the serialised response. */
  const key = (i: number) => `fqc:${i.toString(16).padStart(64, '0')}`;
  const tinyResponse = JSON.stringify({ data: { node: null }, cachePolicy: { maxAge: 10, scope: 'PUBLIC' } });

  it('counts keys and bookkeeping too, so many tiny responses stay within RESPONSE_CACHE_MAX_BYTES', async () => {
    const bound = 256 * 1024;
    let evictions = 0;
    const store = new ResponseStore({ maxBytes: bound, maxEntryBytes: bound, onEvict: () => evictions++ });
    for (let i = 0; i < 10_000; i++) {
      await store.set(key(i), tinyResponse, { ttl: 60 });
      expect(store.bytes).toBeLessThanOrEqual(bound);
    }
    // Every response that no longer fits pushed an older one out, and each was counted.
    expect(evictions).toBe(10_000 - store.size);
    // Each entry is priced at well over its value's characters.
    expect(store.bytes / store.size).toBeGreaterThan(key(0).length + tinyResponse.length + 64);
    // Apollo's own store, given the same bound, keeps several times as many (it counts the value's characters).
    const apollo = new InMemoryLRUCache<string>({ maxSize: bound });
    for (let i = 0; i < 10_000; i++) await apollo.set(key(i), tinyResponse, { ttl: 60 });
    expect(apollo.keys().length).toBeGreaterThan(2.5 * store.size);
    store.stop();
  });

  it('does not keep a response larger than CACHE_MAX_ENTRY_BYTES', async () => {
    const store = new ResponseStore({ maxBytes: 1024 ** 2, maxEntryBytes: 16 * 1024 });
    await store.set(key(1), JSON.stringify({ data: { text: 'x'.repeat(20_000) } }), { ttl: 60 });
    expect(await store.get(key(1))).toBeUndefined();
    store.stop();
  });

  it('prices characters beyond Latin-1 at two bytes', async () => {
    const store = new ResponseStore({ maxBytes: 1024 ** 2, maxEntryBytes: 1024 ** 2 });
    await store.set(key(1), 'a'.repeat(1_000), { ttl: 60 });
    const latin = store.bytes;
    await store.set(key(1), '東'.repeat(1_000), { ttl: 60 });
    expect(store.bytes - latin).toBeGreaterThanOrEqual(1_000);
    store.stop();
  });

  it('drops expired responses without anyone reading them', async () => {
    const store = new ResponseStore({ maxBytes: 1024 ** 2, maxEntryBytes: 1024 ** 2, purgeIntervalMs: 20 });
    for (let i = 0; i < 50; i++) await store.set(key(i), tinyResponse, { ttl: 0.03 });
    await store.set(key(999), tinyResponse, { ttl: 3_600 });
    await waitFor('expired responses to be swept', () => store.size === 1, 5_000);
    expect(await store.get(key(999))).toBe(tinyResponse);
    store.stop();
  });
});

describe('entry size estimate', () => {
  it('is at least the live heap a cached 100-item page takes, and not far above it', async () => {
    // A fresh process with --expose-gc: the heap is measured after full collections, with nothing else running.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/helpers/measure-entry-heap.ts'],
      {
        timeout: 60_000,
      },
    );
    const measured = JSON.parse(stdout.trim().split('\n').pop()!) as {
      heapBytesPerPage: number;
      estimatedBytesPerPage: number;
    };
    const ratio = measured.estimatedBytesPerPage / measured.heapBytesPerPage;
    expect(ratio).toBeGreaterThanOrEqual(1);
    expect(ratio).toBeLessThanOrEqual(1.5);
  });
});
