import type { ApolloServerPlugin } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import type { GatewayContext } from '../context.js';
import { DEFAULT_MEMORY_STORE, ENTRY_OVERHEAD_BYTES, stringHeapBytes } from './memory-store.js';

/**
 * The response cache's store: serialised responses in an LRU bounded by their heap bytes, key and bookkeeping
 * included. (Apollo's InMemoryLRUCache counts a value's characters only, so many small responses would take several
 * times its bound.) Expired responses are swept periodically, read or not.
 */
export class ResponseStore implements KeyValueCache<string> {
  private readonly lru: LRUCache<string, string>;
  private sweep: NodeJS.Timeout | undefined;
  /** Counts invalidations: a response computed across one is not stored (see `responseCache`). */
  epoch = 0;

  constructor(
    maxBytes: number,
    maxEntryBytes: number,
    purgeIntervalMs: number = DEFAULT_MEMORY_STORE.purgeIntervalMs,
    /** Called for each response pushed out to make room (not for expired, replaced or invalidated ones). */
    onEvict: () => void = () => {},
  ) {
    this.lru = new LRUCache<string, string>({
      maxSize: maxBytes,
      maxEntrySize: Math.min(maxEntryBytes, maxBytes),
      sizeCalculation: (value, key) => ENTRY_OVERHEAD_BYTES + stringHeapBytes(key) + stringHeapBytes(value),
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') onEvict();
      },
    });
    this.sweep = setInterval(() => this.lru.purgeStale(), purgeIntervalMs);
    this.sweep.unref();
  }

  /** Estimated bytes held: never more than the bound. */
  get bytes(): number {
    return this.lru.calculatedSize;
  }

  get size(): number {
    return this.lru.size;
  }

  async get(key: string) {
    return this.lru.get(key);
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions) {
    // Apollo's TTLs are seconds.
    this.lru.set(key, value, { ttl: options?.ttl ? options.ttl * 1000 : 0 });
  }

  async delete(key: string) {
    return this.lru.delete(key);
  }

  /**
   * After a write, here or on another replica: responses are not indexed by the resources they hold, and writes are
   * rare next to reads, so every response goes. One being computed now is not stored when it is done.
   */
  invalidate(): void {
    this.epoch++;
    this.lru.clear();
  }

  stop(): void {
    clearInterval(this.sweep);
    this.sweep = undefined;
    this.lru.clear();
  }
}

/**
 * Whole responses, kept for the shortest lifetime of anything in them (the same state-aware cache hints the
 * response carries). A repeated operation over unchanged resources is then answered from memory without executing
 * at all. Responses with errors are never kept. A request honoured as `Cache-Control: no-cache` skips this plugin
 * entirely: its answer is neither read from here nor kept (the resource cache still refreshes what it fetched), so
 * answers that are never cached cost no key hashing or cache-policy work. It is off when caching is off
 * (`CACHE_STORE=none`). Per replica and bounded in bytes (RESPONSE_CACHE_MAX_BYTES; one
 * response at most CACHE_MAX_ENTRY_BYTES); resources stay shared through the resource cache (Redis).
 */
export function responseCache(config: Config, store?: ResponseStore): ApolloServerPlugin<GatewayContext> | null {
  if (!responseCacheEnabled(config)) return null;
  const cache = store ?? new ResponseStore(config.cache.responseCacheBytes, config.cache.maxEntryBytes);
  // The store's epoch when each request started: a response that a write may have overtaken is not kept.
  const startedIn = new WeakMap<GatewayContext, number>();
  const plugin = responseCachePlugin<GatewayContext>({
    cache,
    shouldReadFromCache: async ({ contextValue }) => !contextValue.cacheBypass,
    shouldWriteToCache: async ({ contextValue }) => startedIn.get(contextValue) === cache.epoch,
  });
  return {
    ...plugin,
    async requestDidStart(requestContext) {
      if (requestContext.contextValue.cacheBypass) return;
      startedIn.set(requestContext.contextValue, cache.epoch);
      return plugin.requestDidStart?.(requestContext);
    },
    async serverWillStart() {
      return {
        async serverWillStop() {
          cache.stop();
        },
      };
    },
  };
}

function responseCacheEnabled(config: Config): boolean {
  return config.cache.store !== 'none' && config.cache.responseCacheBytes > 0;
}

/** The response cache's store, when it is on: created with the services, so that writes can invalidate it. */
export function createResponseStore(config: Config, onEvict?: () => void): ResponseStore | undefined {
  return responseCacheEnabled(config)
    ? new ResponseStore(config.cache.responseCacheBytes, config.cache.maxEntryBytes, undefined, onEvict)
    : undefined;
}
