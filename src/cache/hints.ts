import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import type { GraphQLResolveInfo } from 'graphql';
import type { ResourceCache } from './resource-cache.js';

/** What hints need of a request: the shared cache that knows each value's remaining lifetime. */
interface WithCache {
  cache: ResourceCache;
}

/**
 * Narrows the response's cache hint to how long `values` stay true (their remaining cache lifetime, by state; null
 * is a miss). `restrict` keeps the minimum, so every resource a field resolves counts, and the response's
 * `Cache-Control` is the shortest of them.
 */
export function hintFor(ctx: WithCache, info: GraphQLResolveInfo, values: ReadonlyArray<object | null>): void {
  const cacheControl = maybeCacheControlFromInfo(info);
  if (!cacheControl || values.length === 0) return;
  let maxAge = Number.POSITIVE_INFINITY;
  for (const value of values) maxAge = Math.min(maxAge, ctx.cache.maxAgeOf(value));
  cacheControl.cacheHint.restrict({ maxAge });
}

/** A connection page: bounded by the list TTL (lists change as resources come and go) and by every item on it. */
export function hintForPage(ctx: WithCache, info: GraphQLResolveInfo, items: readonly object[]): void {
  const cacheControl = maybeCacheControlFromInfo(info);
  if (!cacheControl) return;
  let maxAge = ctx.cache.listMaxAge;
  for (const item of items) maxAge = Math.min(maxAge, ctx.cache.maxAgeOf(item));
  cacheControl.cacheHint.restrict({ maxAge });
}
