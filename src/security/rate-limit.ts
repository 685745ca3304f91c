import { createHash } from 'node:crypto';
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SharedRedis } from '../cache/redis-store.js';
import type { RateLimitSettings } from './settings.js';

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * Callers remembered by the in-memory counter; the least recently seen go first when a flood of new ones comes (a
 * forgotten caller starts a fresh window, which only helps that caller). Keys are at most 71 characters, so an
 * entry of toad-cache's LRU (map slot, list node, counter, key) stays under 300 bytes: at most about 15 MB.
 */
const LOCAL_CALLERS = 50_000;
/** Longer keys (a JWT subject is up to the issuer) are hashed, so one entry stays small in memory and in Redis. */
const MAX_KEY_LENGTH = 64;

/** The counter's key for a request: its authenticated identity, else its client address (IPv6 by /64). */
export function rateLimitKey(request: FastifyRequest): string {
  const caller = request.caller;
  const key = caller && caller.kind !== 'anonymous' ? caller.id : `ip:${normalizeIP(request.ip)}`;
  return key.length <= MAX_KEY_LENGTH ? key : `sha256:${createHash('sha256').update(key).digest('base64url')}`;
}

/**
 * Requests per caller, counted by `@fastify/rate-limit`: at most `burst` requests in each window of
 * `burst / perSecond` seconds, which averages to `perSecond`. With Redis the counters live there (the library's
 * Redis store, one Lua call per request), so every replica sees the same count and N replicas allow the rate once,
 * not N times. Without Redis, and whenever Redis cannot answer (disconnected, hung, cooling down after a failure;
 * see SharedRedis), each replica counts in memory on its own: a Redis outage never fails a request and never turns
 * the limit off, it only makes it per replica for a while.
 *
 * A window is fixed, not sliding: a caller can send `burst` at the end of one window and `burst` at the start of the
 * next. That is the price of one atomic Redis call per request.
 */
export class RateLimiter {
  private shared: Limiter | undefined;
  private local: Limiter | undefined;

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly redis?: SharedRedis,
    private readonly keyPrefix = 'aws-events-graph:v1:',
  ) {}

  get enabled(): boolean {
    return this.settings.perSecond > 0;
  }

  /** Length of one counting window, in milliseconds. */
  get windowMs(): number {
    return Math.max(1, Math.ceil((this.settings.burst / this.settings.perSecond) * 1000));
  }

  /**
   * Sets up the counters in `scope`. Each goes in a scope of its own: the plugin decorates the instance it is
   * registered on, once. Neither adds hooks to routes (`global: false`): `take` is called after authentication,
   * which the key depends on.
   */
  async register(scope: FastifyInstance): Promise<void> {
    if (!this.enabled) return;
    const common = {
      global: false,
      max: this.settings.burst,
      timeWindow: this.windowMs,
      keyGenerator: rateLimitKey,
      // Failures reach `take`, which counts the request locally instead.
      skipOnError: false,
    };
    await scope.register(async (child) => {
      await child.register(fastifyRateLimit, { ...common, cache: LOCAL_CALLERS });
      this.local = child.createRateLimit();
    });
    const redis = this.redis;
    if (redis) {
      await scope.register(async (child) => {
        await child.register(fastifyRateLimit, {
          ...common,
          redis: redis.client,
          nameSpace: `${this.keyPrefix}rate-limit:`,
        });
        this.shared = child.createRateLimit();
      });
    }
  }

  async take(request: FastifyRequest): Promise<RateDecision> {
    if (!this.enabled) return { ok: true };
    let result: Awaited<ReturnType<Limiter>> | undefined;
    if (this.shared && this.redis?.available) {
      try {
        result = await this.shared(request);
      } catch (error) {
        this.redis.failed(error);
      }
    }
    result ??= await this.local!(request);
    if (result.isAllowed || !result.isExceeded) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, result.ttlInSeconds) };
  }
}
