import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import type { KeyValueCache, KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import type { GatewayContext } from '../context.js';
import { Doorkeeper } from './doorkeeper.js';
import { DEFAULT_MEMORY_STORE, ENTRY_OVERHEAD_BYTES, stringHeapBytes } from './memory-store.js';

/** Which responses the response cache keeps: every cacheable one, or one only once it is asked for again. */
export type ResponseAdmission = 'first' | 'second';

export interface ResponseStoreOptions {
  maxBytes: number;
  maxEntryBytes: number;
  /** Default 'second': see `ResponseStore.admits`. */
  admission?: ResponseAdmission;
  purgeIntervalMs?: number;
  /** Called for each response pushed out to make room (not for expired, replaced or invalidated ones). */
  onEvict?: () => void;
  /** Called for each cacheable response not kept because it was its key's first sighting. */
  onFirstSighting?: () => void;
}

/**
 * The response cache's store: serialised responses in an LRU bounded by their heap bytes, key and bookkeeping
 * included. (Apollo's InMemoryLRUCache counts a value's characters only, so many small responses would take several
 * times its bound.) Expired responses are swept periodically, read or not.
 */
export class ResponseStore implements KeyValueCache<string> {
  private readonly lru: LRUCache<string, string>;
  private sweep: NodeJS.Timeout | undefined;
  private readonly doorkeeper: Doorkeeper | undefined;
  private readonly onFirstSighting: () => void;
  /** Counts invalidations: a response computed across one is not stored (see `responseCache`). */
  epoch = 0;

  constructor(options: ResponseStoreOptions) {
    const { maxBytes, maxEntryBytes, onEvict = () => {} } = options;
    this.doorkeeper = (options.admission ?? 'second') === 'second' ? new Doorkeeper() : undefined;
    this.onFirstSighting = options.onFirstSighting ?? (() => {});
    this.lru = new LRUCache<string, string>({
      maxSize: maxBytes,
      maxEntrySize: Math.min(maxEntryBytes, maxBytes),
      sizeCalculation: (value, key) => ENTRY_OVERHEAD_BYTES + stringHeapBytes(key) + stringHeapBytes(value),
      dispose: (_value, _key, reason) => {
        if (reason === 'evict') onEvict();
      },
    });
    this.sweep = setInterval(
      () => this.lru.purgeStale(),
      options.purgeIntervalMs ?? DEFAULT_MEMORY_STORE.purgeIntervalMs,
    );
    this.sweep.unref();
  }

  /**
   * Whether a cacheable response under `key` is worth keeping. With admission on second sighting (the default), a
   * key's first response is not kept, its next one is: a response asked for once (a batch of random ids, a one-off
   * query) then costs neither its serialisation nor the place of one that is asked for again. Sightings are
   * remembered in a fixed 128 KiB bit array (`Doorkeeper`), kept across invalidations: they say what is asked for,
   * not what is true.
   */
  admits(key: string): boolean {
    if (!this.doorkeeper || this.doorkeeper.offer(key)) return true;
    this.onFirstSighting();
    return false;
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
  const cache = store ?? new ResponseStore(storeOptions(config));
  // The store's epoch when each request started: a response that a write may have overtaken is not kept.
  const startedIn = new WeakMap<GatewayContext, number>();
  // Each request's key, as computed for the read: the write and the admission check reuse it.
  const keys = new WeakMap<object, { mode: string; key: string }>();
  const plugin = responseCachePlugin<GatewayContext>({
    cache,
    // Apollo's own key (the SHA-256 of the key data's JSON, query text included), computed once per request
    // instead of once for the read and again for the write. Within a request the key data differ only in their
    // session fields (the plugin spreads one base into each), so those tell whether the key is the one computed.
    generateCacheKey: ({ contextValue }, keyData) => {
      const { sessionMode, sessionId } = keyData as { sessionMode?: unknown; sessionId?: unknown };
      const mode = `${String(sessionMode)}|${String(sessionId)}`;
      const known = keys.get(contextValue);
      if (known?.mode === mode) return known.key;
      const key = createHash('sha256').update(JSON.stringify(keyData)).digest('hex');
      keys.set(contextValue, { mode, key });
      return key;
    },
    shouldReadFromCache: async ({ contextValue }) => !contextValue.cacheBypass,
    shouldWriteToCache: async ({ contextValue, response, overallCachePolicy }) => {
      if (startedIn.get(contextValue) !== cache.epoch) return false;
      // Only an answer the plugin would keep is a sighting: one with errors or without a cacheable hint never is
      // kept, so it is no first sighting either (the plugin's own check, made before the doorkeeper's).
      const body = response.body;
      if (body?.kind !== 'single' || body.singleResult.errors || !overallCachePolicy.policyIfCacheable()) return false;
      const key = keys.get(contextValue)?.key;
      return key !== undefined && cache.admits(key);
    },
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

function storeOptions(config: Config): ResponseStoreOptions {
  return {
    maxBytes: config.cache.responseCacheBytes,
    maxEntryBytes: config.cache.maxEntryBytes,
    admission: config.cache.responseCacheAdmission,
  };
}

/** The response cache's store, when it is on: created with the services, so that writes can invalidate it. */
export function createResponseStore(
  config: Config,
  hooks: Pick<ResponseStoreOptions, 'onEvict' | 'onFirstSighting'> = {},
): ResponseStore | undefined {
  return responseCacheEnabled(config) ? new ResponseStore({ ...storeOptions(config), ...hooks }) : undefined;
}
