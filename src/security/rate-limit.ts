import { LRUCache } from 'lru-cache';
import type { RateLimitSettings } from './settings.js';

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per caller, in memory: `burst` requests at once, refilled at `perSecond`. The set of buckets is
 * bounded (least recently seen callers go first), so a flood of new addresses cannot grow memory without end; a
 * forgotten caller starts again with a full bucket, which is the state it would have reached anyway once idle.
 * Each gateway instance counts on its own: N instances behind a load balancer allow up to N times the rate.
 */
export class RateLimiter {
  private readonly buckets = new LRUCache<string, Bucket>({ max: 100_000 });

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.settings.perSecond > 0;
  }

  take(caller: string): RateDecision {
    if (!this.enabled) return { ok: true };
    const { perSecond, burst } = this.settings;
    const now = this.clock();
    const bucket = this.buckets.get(caller) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.buckets.set(caller, bucket);
      return { ok: true };
    }
    this.buckets.set(caller, bucket);
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)) };
  }
}
