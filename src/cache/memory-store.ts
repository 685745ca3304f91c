import { LRUCache } from 'lru-cache';
import type { CacheEntry, CacheStore } from './store.js';

/**
 * In-process LRU, bounded by entry count. Entries hold models by reference (no serialisation on the hot path);
 * models are never mutated after mapping, so sharing them between requests is safe.
 */
export class MemoryStore implements CacheStore {
  readonly kind = 'memory' as const;
  private readonly lru: LRUCache<string, CacheEntry>;

  constructor(maxEntries: number, onEvict: () => void = () => {}) {
    this.lru = new LRUCache<string, CacheEntry>({
      max: maxEntries,
      ttlAutopurge: false,
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') onEvict();
      },
    });
  }

  get size(): number {
    return this.lru.size;
  }

  async getMany(keys: readonly string[]) {
    return keys.map((key) => this.lru.get(key));
  }

  async set(key: string, entry: CacheEntry, ttlMs: number) {
    this.lru.set(key, entry, { ttl: ttlMs });
  }

  async clear() {
    this.lru.clear();
  }

  async ping() {
    return true;
  }

  async close() {
    this.lru.clear();
  }
}
