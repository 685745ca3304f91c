import type { ApolloServerPlugin } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { Config } from '../config.js';
import type { GatewayContext } from '../context.js';

/**
 * Whole responses, kept for the shortest lifetime of anything in them (the same state-aware cache hints the
 * response carries). A repeated operation over unchanged resources is then answered from memory without executing
 * at all. Responses with errors are never kept; `Cache-Control: no-cache` skips it, like the resource cache; it is
 * off when caching is off (`CACHE_STORE=none`). Per replica and bounded in bytes; resources stay shared through the
 * resource cache (Redis).
 */
export function responseCache(config: Config): ApolloServerPlugin<GatewayContext> | null {
  if (config.cache.store === 'none' || config.cache.responseCacheBytes === 0) return null;
  return responseCachePlugin<GatewayContext>({
    cache: new InMemoryLRUCache<string>({ maxSize: config.cache.responseCacheBytes }),
    shouldReadFromCache: async ({ contextValue }) => !contextValue.cacheBypass,
  });
}
