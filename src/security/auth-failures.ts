import { LRUCache } from 'lru-cache';
import { entryBound } from '../cache/entry-bound.js';
import type { SharedRedis } from '../cache/redis-store.js';
import { TokenBuckets } from './token-bucket.js';

/** Addresses remembered as refused; a flood of new ones pushes the oldest out (they are then asked again). */
const BLOCKED_ADDRESSES = 50_000;

/**
 * Failed authentications per client address: AUTH_FAILURE_LIMIT per minute (a token bucket of that many, refilled
 * over the minute, shared by replicas through Redis). An address past it is refused with 429 before its
 * credentials are even checked, until its bucket has a token again, so guessing keys or forging tokens costs the
 * guesser its time and the gateway nothing. Only requests that carried credentials count: a client that sends none
 * is told what to send, not blocked. The refusal is remembered in memory, so a blocked address costs no Redis call.
 */
export class AuthFailureLimiter {
  private readonly buckets: TokenBuckets;
  /** Address -> when it may try again (performance.now() milliseconds). */
  private readonly blocked = new LRUCache<string, number>(entryBound(BLOCKED_ADDRESSES));

  constructor(
    failuresPerMinute: number,
    redis?: SharedRedis,
    keyPrefix?: string,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.buckets = new TokenBuckets(
      'auth-failures',
      { perSecond: failuresPerMinute / 60, burst: Math.max(1, failuresPerMinute) },
      redis,
      keyPrefix,
      clock,
    );
  }

  get enabled(): boolean {
    return this.buckets.enabled;
  }

  /** Seconds until `address` may try again; 0 when it may now. */
  blockedFor(address: string): number {
    const until = this.blocked.get(address);
    if (until === undefined) return 0;
    const wait = until - this.clock();
    if (wait > 0) return Math.ceil(wait / 1000);
    this.blocked.delete(address);
    return 0;
  }

  /** Counts one failure of `address`; returns the seconds it is now refused for, or 0 while it has tokens left. */
  async failed(address: string): Promise<number> {
    const result = await this.buckets.take(address);
    if (result.ok) return 0;
    this.blocked.set(address, this.clock() + result.retryAfterSeconds * 1000);
    return result.retryAfterSeconds;
  }
}
