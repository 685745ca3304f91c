import { LRUCache } from 'lru-cache';
import type { AwsCallSite } from '../errors.js';

/*
 * Client-side rate limits on AWS calls: one token bucket per (account, region, service, operation), because that is
 * the scope AWS throttles at (its request-rate quotas are per account and region, per API). Every request of the
 * process takes from the same buckets, so a fan-out over many accounts and regions runs in parallel within each
 * scope's quota, and a burst of requests queues for tokens instead of being throttled by AWS and failing.
 *
 * The rate adapts to AWS's answers (additive increase, multiplicative decrease): a throttled attempt halves its
 * scope's rate, every answered attempt grows it back linearly in time up to the quota. Other scopes keep their rate.
 */

/** A request rate as a token bucket: what AWS documents for an operation, per account and region. */
export interface OperationQuota {
  /** Requests per second sustained. */
  readonly perSecond: number;
  /** Requests admitted at once after a quiet period. */
  readonly burst: number;
}

/** Quotas by AWS operation name (`DescribeStreamSummary`), as a module declares them for its service. */
export type OperationQuotas = Readonly<Record<string, OperationQuota>>;

/** What the limiter needs of a service definition: its signing name and the quotas its module declares. */
export interface ServiceQuotas {
  readonly id: string;
  readonly quotas?: OperationQuotas;
}

export interface LimiterSettings {
  /** Off: no client-side rate limit at all (AWS's throttling and the SDK's retries remain). */
  readonly enabled: boolean;
  /** The quota of an operation whose module declares none. */
  readonly defaultQuota: OperationQuota;
}

/** The lowest rate adaptation goes to, as a share of the quota: a scope throttled for long still makes progress. */
const FLOOR_SHARE = 1 / 64;
/** An absolute floor, for small quotas: one request every four seconds at worst. */
const MIN_PER_SECOND = 0.25;
/** Additive increase: the share of the quota the rate grows back by per second without throttling. */
const INCREASE_SHARE_PER_SECOND = 1 / 20;

/**
 * A token bucket whose rate adapts. Tokens may be reserved ahead (the count goes negative): each taker learns how long
 * to wait for its own token, so waiters keep their order without a queue, and no timer runs unless one waits.
 * Times are milliseconds on the clock the limiter is given.
 */
export class AdaptiveTokenBucket {
  /** The current sustained rate (requests per second), between the floor and the quota's rate. */
  private currentRate: number;
  private tokens: number;
  private refilledAt: number;
  /** When the rate was last increased or decreased: additive increase counts from here. */
  private adjustedAt: number;
  /** When the rate was last halved: throttles of attempts whose token was taken before then are already counted. */
  private decreasedAt = Number.NEGATIVE_INFINITY;
  private readonly floor: number;

  constructor(
    readonly quota: OperationQuota,
    now: number,
  ) {
    this.currentRate = quota.perSecond;
    this.floor = Math.min(quota.perSecond, Math.max(MIN_PER_SECOND, quota.perSecond * FLOOR_SHARE));
    this.tokens = quota.burst;
    this.refilledAt = now;
    this.adjustedAt = now;
  }

  get rate(): number {
    return this.currentRate;
  }

  /** The burst shrinks with the rate: a scope AWS throttles does not get its full burst back at once. */
  get capacity(): number {
    return Math.max(1, (this.quota.burst * this.currentRate) / this.quota.perSecond);
  }

  /**
   * Takes one token: 0 when it is there now, else the milliseconds until the reserved one is. When that would be
   * later than `maxWaitMs`, nothing is taken and the answer is Infinity (the caller gives up at once rather than wait
   * for a token it could not use).
   */
  take(now: number, maxWaitMs: number): number {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    const waitMs = ((1 - this.tokens) * 1000) / this.currentRate;
    if (waitMs > maxWaitMs) return Number.POSITIVE_INFINITY;
    this.tokens -= 1;
    return waitMs;
  }

  /**
   * AWS throttled an attempt whose token was taken at `takenAt`. The rate halves once per round: attempts sent
   * before the last decrease were sent at the old rate, and their throttles say nothing about the new one.
   */
  throttled(takenAt: number, now: number): void {
    if (takenAt < this.decreasedAt) return;
    this.refill(now);
    this.currentRate = Math.max(this.floor, this.currentRate / 2);
    this.tokens = Math.min(this.tokens, this.capacity);
    this.decreasedAt = now;
    this.adjustedAt = now;
  }

  /** AWS answered an attempt without throttling it: the rate grows back, linearly in the time since it last changed. */
  answered(now: number): void {
    if (this.currentRate >= this.quota.perSecond) return;
    this.refill(now);
    const grown =
      this.currentRate + (this.quota.perSecond * INCREASE_SHARE_PER_SECOND * (now - this.adjustedAt)) / 1000;
    this.currentRate = Math.min(this.quota.perSecond, grown);
    this.adjustedAt = now;
  }

  private refill(now: number): void {
    if (now <= this.refilledAt) return;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) * this.currentRate) / 1000);
    this.refilledAt = now;
  }
}

/** Buckets remembered; the least recently used go first (a forgotten bucket starts full, at its quota). */
const MAX_BUCKETS = 10_000;

/** One scope's current rate, for the metrics gauge (read at scrape time, never per call). */
export interface LimiterRate {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly accountId: string;
  readonly perSecond: number;
  readonly quotaPerSecond: number;
}

interface Entry {
  readonly bucket: AdaptiveTokenBucket;
  readonly site: Readonly<Pick<AwsCallSite, 'service' | 'operation' | 'region'>> & { readonly accountId: string };
}

/** The buckets of every (account, region, service, operation) the process calls. */
export class AwsRateLimiter {
  private readonly buckets = new LRUCache<string, Entry>({ max: MAX_BUCKETS });
  private readonly quotas = new Map<string, OperationQuotas>();

  constructor(
    private readonly settings: LimiterSettings,
    services: readonly ServiceQuotas[] = [],
    readonly clock: () => number = () => performance.now(),
  ) {
    for (const service of services) if (service.quotas) this.quotas.set(service.id, service.quotas);
  }

  /** The bucket of a call's scope, or undefined when the limiter is off. */
  bucketFor(site: AwsCallSite): AdaptiveTokenBucket | undefined {
    if (!this.settings.enabled) return undefined;
    const accountId = site.accountId ?? '';
    const key = `${accountId}|${site.region}|${site.service}|${site.operation}`;
    const entry = this.buckets.get(key);
    if (entry) return entry.bucket;
    const quota = this.quotas.get(site.service)?.[site.operation] ?? this.settings.defaultQuota;
    const bucket = new AdaptiveTokenBucket(quota, this.clock());
    const scope = { service: site.service, operation: site.operation, region: site.region, accountId };
    this.buckets.set(key, { bucket, site: scope });
    return bucket;
  }

  /** Every scope's current rate. */
  *rates(): IterableIterator<LimiterRate> {
    for (const { bucket, site } of this.buckets.values())
      yield { ...site, perSecond: bucket.rate, quotaPerSecond: bucket.quota.perSecond };
  }
}
