import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { CachedType } from './ttl-policy.js';

/** Anything resolvers return that the cache knows: models carry their type in `kind`; null is a miss. */
type Hintable = { kind: Exclude<CachedType, 'List'> } | null;

/**
 * Narrows the response's cache hint to how long `values` stay true (their remaining cache lifetime, by state).
 * `restrict` keeps the minimum, so every resource a field resolves counts, and the response's `Cache-Control`
 * is the shortest of them.
 */
export function hintFor(ctx: GatewayContext, info: GraphQLResolveInfo, values: readonly Hintable[]): void {
  const cacheControl = maybeCacheControlFromInfo(info);
  if (!cacheControl || values.length === 0) return;
  const maxAge = Math.min(...values.map((v) => ctx.cache.maxAgeOf(v?.kind ?? 'EventStream', v)));
  cacheControl.cacheHint.restrict({ maxAge });
}

/** A connection page: bounded by the list TTL (lists change as resources come and go) and by every item on it. */
export function hintForPage(ctx: GatewayContext, info: GraphQLResolveInfo, items: readonly NonNullable<Hintable>[]): void {
  const cacheControl = maybeCacheControlFromInfo(info);
  if (!cacheControl) return;
  const listMaxAge = Math.floor(ctx.cache.policy.ttlMs('List', {}) / 1000);
  cacheControl.cacheHint.restrict({ maxAge: Math.min(listMaxAge, ...items.map((v) => ctx.cache.maxAgeOf(v.kind, v))) });
}
