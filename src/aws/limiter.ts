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
 * A token bucket whose rate adapts: the maths only, on the clock it is given (milliseconds). Waiting for a token is
 * the `RateLimit`'s, below.
 */
export class AdaptiveTokenBucket {
  /** The current sustained rate (requests per second), between the floor and the quota's rate. */
  private currentRate: number;
  private tokens: number;
  private refilledAt: number;
  /** When the rate last changed: additive increase counts from here. */
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

  /** Takes a token when one is there. */
  tryTake(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is there (0: now), at the current rate. */
  msUntilToken(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : ((1 - this.tokens) * 1000) / this.currentRate;
  }

  /**
   * AWS throttled an attempt whose token was taken at `takenAt`. The rate halves once per round: attempts sent
   * before the last decrease were sent at the old rate, and their throttles say nothing about the new one. AWS has
   * no request left for the scope now, so the tokens left go too: the next attempt waits for the new rate.
   */
  throttled(takenAt: number, now: number): void {
    if (takenAt < this.decreasedAt) return;
    this.refill(now);
    this.currentRate = Math.max(this.floor, this.currentRate / 2);
    this.tokens = Math.min(this.tokens, 0);
    this.decreasedAt = now;
    this.adjustedAt = now;
  }

  /** AWS answered an attempt without throttling it: the rate grows back, linearly in the time since it last changed. */
  answered(now: number): void {
    if (this.currentRate >= this.quota.perSecond) return;
    this.refill(now);
    const growth = (this.quota.perSecond * INCREASE_SHARE_PER_SECOND * (now - this.adjustedAt)) / 1000;
    this.currentRate = Math.min(this.quota.perSecond, this.currentRate + growth);
    this.adjustedAt = now;
  }

  private refill(now: number): void {
    if (now <= this.refilledAt) return;
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) * this.currentRate) / 1000);
    this.refilledAt = now;
  }
}

interface Waiter {
  readonly notAfter: number;
  readonly resolve: (takenAt: number) => void;
  readonly reject: (reason: RateLimitRefusal) => void;
  settled: boolean;
}

/** No token free before the waiter's deadline; `perSecond` is the scope's rate when it was refused. */
export class RateLimitRefusal extends Error {
  constructor(readonly perSecond: number) {
    super('No AWS request of this scope is free before the deadline.');
    this.name = 'RateLimitRefusal';
  }
}

/**
 * One scope's rate limit: its bucket, and the attempts waiting for a token in arrival order. One timer per scope
 * runs while some wait, and each release takes the rate as it is then, so a throttle slows the waiters already in
 * line too. Without waiters nothing is allocated: a free token is taken at once.
 */
export class RateLimit {
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly bucket: AdaptiveTokenBucket,
    private readonly clock: () => number,
  ) {}

  /**
   * A token: the time it was taken, at once when one is free and nobody waits, else a promise of it. Rejects with
   * RateLimitRefusal, at once, when the line ahead means no token before `notAfter` at the current rate, or later,
   * when a drop of the rate means that; with `signal`'s reason when it aborts first.
   */
  acquire(notAfter: number, signal?: AbortSignal): number | Promise<number> {
    const now = this.clock();
    if (this.waiters.length === 0 && this.bucket.tryTake(now)) return now;
    const ahead = (this.waiters.length * 1000) / this.bucket.rate;
    if (now + this.bucket.msUntilToken(now) + ahead > notAfter)
      return Promise.reject(new RateLimitRefusal(this.bucket.rate));
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { notAfter, resolve, reject, settled: false };
      if (signal) {
        if (signal.aborted) return reject(signal.reason);
        signal.addEventListener(
          'abort',
          () => {
            if (waiter.settled) return;
            waiter.settled = true;
            reject(signal.reason);
          },
          { once: true },
        );
      }
      this.waiters.push(waiter);
      this.schedule(now);
    });
  }

  /** How many attempts wait for a token. */
  get waiting(): number {
    return this.waiters.length;
  }

  private release = (): void => {
    this.timer = undefined;
    const now = this.clock();
    while (this.waiters.length > 0) {
      const head = this.waiters[0]!;
      if (head.settled) {
        this.waiters.shift();
        continue;
      }
      // The rate may have dropped since this waiter queued: one that cannot get a token in time is told now, and
      // leaves the token to the next in line.
      if (now + this.bucket.msUntilToken(now) > head.notAfter) {
        this.waiters.shift();
        head.settled = true;
        head.reject(new RateLimitRefusal(this.bucket.rate));
        continue;
      }
      if (!this.bucket.tryTake(now)) break;
      this.waiters.shift();
      head.settled = true;
      head.resolve(now);
    }
    this.schedule(now);
  };

  private schedule(now: number): void {
    if (this.timer || this.waiters.length === 0) return;
    this.timer = setTimeout(this.release, Math.max(1, Math.ceil(this.bucket.msUntilToken(now))));
    this.timer.unref();
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
  readonly limit: RateLimit;
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

  /** The rate limit of a call's scope, or undefined when the limiter is off. */
  limitFor(site: AwsCallSite): RateLimit | undefined {
    if (!this.settings.enabled) return undefined;
    const accountId = site.accountId ?? '';
    const key = `${accountId}|${site.region}|${site.service}|${site.operation}`;
    const entry = this.buckets.get(key);
    if (entry) return entry.limit;
    const quota = this.quotas.get(site.service)?.[site.operation] ?? this.settings.defaultQuota;
    const limit = new RateLimit(new AdaptiveTokenBucket(quota, this.clock()), this.clock);
    const scope = { service: site.service, operation: site.operation, region: site.region, accountId };
    this.buckets.set(key, { limit, site: scope });
    return limit;
  }

  /** Every scope's current rate. */
  *rates(): IterableIterator<LimiterRate> {
    for (const { limit, site } of this.buckets.values())
      yield { ...site, perSecond: limit.bucket.rate, quotaPerSecond: limit.bucket.quota.perSecond };
  }
}
