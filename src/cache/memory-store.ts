import { LRUCache } from 'lru-cache';
import type { CacheEntry, CacheStore } from './store.js';

export interface MemoryStoreOptions {
  /** Bound on the number of entries (nothing is allocated for it up front). Default 50,000. */
  maxEntries?: number;
  /** Bound on the estimated bytes of all entries together (see `estimateEntryBytes`). Default 32 MiB. */
  maxBytes?: number;
  /** An entry estimated larger than this is not stored at all. Default 1 MiB (never more than `maxBytes`). */
  maxEntryBytes?: number;
  /** How often expired entries are dropped, whether or not anyone reads them. Default 5 s. */
  purgeIntervalMs?: number;
  /** Called for each entry pushed out to make room (not for expired or replaced ones). */
  onEvict?: () => void;
}

export const DEFAULT_MEMORY_STORE = {
  maxEntries: 50_000,
  maxBytes: 32 * 1024 ** 2,
  maxEntryBytes: 1024 ** 2,
  purgeIntervalMs: 5_000,
} as const;

/*
 * What V8 (64-bit, no pointer compression, as Node ships) holds for each kind of value, measured with
 * `--expose-gc` and `process.memoryUsage().heapUsed` over 200,000 values of each kind: an object is a 24-byte header
 * plus one 8-byte slot per property, an array 48 bytes plus one slot per element, a string a 16-byte header plus
 * one byte per character rounded up to 8 (Latin-1; two-byte strings are rare in these models and count as one), a
 * Date 112 bytes (it caches its broken-down fields), and a number that is not a small integer a 16-byte heap
 * number. Slots for immediates (small integers, booleans, null) are in the parent's count. Shared values (interned
 * enum strings, a model referenced twice) are counted at each reference: the estimate errs on the large side.
 */
const OBJECT_BYTES = 24;
const ARRAY_BYTES = 48;
const SLOT_BYTES = 8;
const STRING_BYTES = 16;
const DATE_BYTES = 112;
const HEAP_NUMBER_BYTES = 16;
/** Largest integer V8 keeps inline (a Smi) on 64-bit without pointer compression. */
const SMI_MAX = 2 ** 31 - 1;
/** The entry object, its expiry, and lru-cache's bookkeeping for one key (index map, key list, TTL arrays). */
export const ENTRY_OVERHEAD_BYTES = 96;
/** Deeper than any model; a value nested further (a cycle, a hostile shape) is priced as too big to keep. */
const MAX_DEPTH = 32;

const stringBytes = (length: number) => (STRING_BYTES + length + 7) & ~7;

/** Heap bytes of a string, with its width: a string holding any character beyond Latin-1 takes two bytes each. */
export function stringHeapBytes(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range starts at U+0000 on purpose (all of Latin-1).
  return stringBytes(/[^\u0000-\u00ff]/.test(text) ? text.length * 2 : text.length);
}

function valueBytes(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value.length);
    case 'number':
      return Number.isInteger(value) && value <= SMI_MAX && value >= -SMI_MAX - 1 ? 0 : HEAP_NUMBER_BYTES;
    case 'object': {
      if (value === null) return 0;
      if (depth > MAX_DEPTH) return Number.POSITIVE_INFINITY;
      if (value instanceof Date) return DATE_BYTES;
      if (Array.isArray(value)) {
        let bytes = ARRAY_BYTES + SLOT_BYTES * value.length;
        for (const item of value) bytes += valueBytes(item, depth + 1);
        return bytes;
      }
      let bytes = OBJECT_BYTES;
      // for...in rather than Object.keys/entries: no array allocated per object on the write path.
      for (const key in value) {
        bytes += SLOT_BYTES + valueBytes((value as Record<string, unknown>)[key], depth + 1);
      }
      return bytes;
    }
    default:
      return 0;
  }
}

/**
 * Estimated heap bytes of one stored entry and its key: one walk over the model, no serialisation. For a 100-item
 * internet-event page it is about 1.15 times the live heap the page takes and costs about 20 µs, a tenth of
 * JSON.stringify (`node --expose-gc --import tsx test/helpers/measure-entry-heap.ts` measures both;
 * test/unit/memory-store.test.ts keeps the estimate between 1 and 1.5 times the heap).
 */
export function estimateEntryBytes(key: string, entry: CacheEntry): number {
  const bytes = ENTRY_OVERHEAD_BYTES + stringBytes(key.length) + valueBytes(entry.v, 0);
  return Number.isFinite(bytes) ? Math.ceil(bytes) : Number.MAX_SAFE_INTEGER;
}

/**
 * In-process LRU, bounded in bytes (estimated per entry when it is written) and in entries. Expired entries are
 * dropped by a periodic sweep, so a stream of one-off keys (a new `startTime` per request) cannot keep dead pages
 * alive until the bound pushes them out. Entries hold models by reference (no serialisation on the hot path);
 * models are never mutated after mapping, so sharing them between requests is safe.
 */
export class MemoryStore implements CacheStore {
  readonly kind = 'memory' as const;
  readonly maxBytes: number;
  readonly maxEntryBytes: number;
  readonly maxEntries: number;
  private readonly lru: LRUCache<string, CacheEntry>;
  private readonly purgeTimer: NodeJS.Timeout;

  /** A number is `maxEntries` alone (the other bounds take their defaults). */
  constructor(options: MemoryStoreOptions | number = {}) {
    const o: MemoryStoreOptions = typeof options === 'number' ? { maxEntries: options } : options;
    const onEvict = o.onEvict ?? (() => {});
    this.maxBytes = o.maxBytes ?? DEFAULT_MEMORY_STORE.maxBytes;
    this.maxEntryBytes = Math.min(o.maxEntryBytes ?? DEFAULT_MEMORY_STORE.maxEntryBytes, this.maxBytes);
    this.maxEntries = o.maxEntries ?? DEFAULT_MEMORY_STORE.maxEntries;
    // No `max`: lru-cache would allocate its index arrays for maxEntries up front (2.6 MB at the default 50,000,
    // 400 MB at ten million) for the life of the process. The entry bound is kept by `store` instead.
    this.lru = new LRUCache<string, CacheEntry>({
      maxSize: this.maxBytes,
      maxEntrySize: this.maxEntryBytes,
      sizeCalculation: (entry, key) => estimateEntryBytes(key, entry),
      // One timer per entry (lru-cache's ttlAutopurge) would cost more memory than the sweep below.
      ttlAutopurge: false,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') onEvict();
      },
    });
    this.purgeTimer = setInterval(
      () => this.lru.purgeStale(),
      o.purgeIntervalMs ?? DEFAULT_MEMORY_STORE.purgeIntervalMs,
    );
    this.purgeTimer.unref();
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.lru.size;
  }

  /** Estimated bytes held: never more than `maxBytes`. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  async getMany(keys: readonly string[]) {
    return keys.map((key) => this.lru.get(key));
  }

  async set(key: string, entry: CacheEntry, ttlMs: number) {
    this.store(key, entry, ttlMs);
  }

  async put(entries: ReadonlyArray<{ key: string; entry: CacheEntry; ttlMs: number }>) {
    for (const { key, entry, ttlMs } of entries) this.store(key, entry, ttlMs);
  }

  private store(key: string, entry: CacheEntry, ttlMs: number): void {
    // The entry bound: a new key beyond it pushes out the least recently used (lru-cache's pop counts as evicted).
    if (this.lru.size >= this.maxEntries && !this.lru.has(key)) this.lru.pop();
    // Too big for one entry: lru-cache drops it (and any older value under the key) instead of storing it.
    this.lru.set(key, entry, { ttl: ttlMs });
  }

  async clear() {
    this.lru.clear();
  }

  async ping() {
    return true;
  }

  async close() {
    clearInterval(this.purgeTimer);
    this.lru.clear();
  }
}
