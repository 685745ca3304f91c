import type { AwsCallSite } from '../errors.js';

/*
 * Client-side rate limits on AWS calls, per (account, region, service, operation): the scope AWS throttles at (its
 * request-rate quotas are per account and region, per API). Every request of the process shares them, so a fan-out
 * over many accounts and regions runs in parallel within each scope's rate, and a burst of requests waits for
 * tokens instead of being throttled by AWS and failing.
 *
 * An operation whose quota AWS documents (its module declares it) has a token bucket at that rate from the start.
 * Any other is unlimited (nothing is waited for, nothing allocated) until AWS throttles it: then its scope gets a
 * bucket at half the rate it was sent at over the last second. Either way the rate adapts to AWS's answers
 * (additive increase, multiplicative decrease): a throttled attempt halves it, attempts AWS does not throttle grow it
 * back linearly in time, up to the quota, or, without one, up to where it was throttled, and the scope is unlimited
 * again. Other scopes keep their rate. The buckets are per process: replicas adapt each on their own, as each is
 * throttled on its own share of the quota.
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
  /** The quota of an operation whose module declares none; without one, such an operation starts unlimited. */
  readonly defaultQuota?: OperationQuota;
}

/** The lowest rate adaptation goes to, as a share of the quota: a scope throttled for long still makes progress. */
const FLOOR_SHARE = 1 / 64;
/**
 * An absolute floor (unless the quota itself is lower): a scope AWS keeps throttling still sends one request a
 * second. Slower would only hold its requests past their deadlines; AWS's answers to that one keep the rate adapting.
 */
const MIN_PER_SECOND = 1;
/** Additive increase: the share of the quota the rate grows back by per second without throttling... */
const INCREASE_SHARE_PER_SECOND = 1 / 20;
/** ...and at least this many requests per second, per second: a scope throttled at a low rate is soon free again. */
const MIN_INCREASE_PER_SECOND = 1;

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

  /** AWS did not throttle an attempt: the rate grows back, linearly in the time since it last changed. */
  answered(now: number): void {
    if (this.currentRate >= this.quota.perSecond) return;
    this.refill(now);
    const perSecond = Math.max(MIN_INCREASE_PER_SECOND, this.quota.perSecond * INCREASE_SHARE_PER_SECOND);
    const growth = (perSecond * (now - this.adjustedAt)) / 1000;
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

/** An unlimited scope counts its sends in windows this long: the last second is this window and part of the last. */
const WINDOW_MS = 1_000;

/**
 * One scope's rate limit: unlimited, or its bucket and the attempts waiting for a token in arrival order. One timer
 * per scope runs while some wait, and each release takes the rate as it is then, so a throttle slows the waiters
 * already in line too. A free token, or an unlimited scope, answers at once, without allocating.
 */
export class RateLimit {
  private limited: AdaptiveTokenBucket | undefined;
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Attempts sent while unlimited, in the current and the previous window: the rate a throttle halves. */
  private windowStart: number;
  private sentThisWindow = 0;
  private sentLastWindow = 0;

  constructor(
    /** The documented quota: limited from the start, and never beyond it. Undefined: unlimited until throttled. */
    private readonly quota: OperationQuota | undefined,
    private readonly clock: () => number,
  ) {
    const now = clock();
    this.windowStart = now;
    if (quota) this.limited = new AdaptiveTokenBucket(quota, now);
  }

  /** The bucket while the scope is limited. */
  get bucket(): AdaptiveTokenBucket | undefined {
    return this.limited;
  }

  /** How many attempts wait for a token. */
  get waiting(): number {
    return this.waiters.length;
  }

  /**
   * A token: the time it was taken, at once when one is free and nobody waits, else a promise of it. Rejects with
   * RateLimitRefusal, at once, when the line ahead means no token before `notAfter` at the current rate, or later,
   * when a drop of the rate means that; with `signal`'s reason when it aborts first.
   */
  acquire(notAfter: number, signal?: AbortSignal): number | Promise<number> {
    const now = this.clock();
    const bucket = this.limited;
    if (!bucket) {
      this.countSent(now);
      return now;
    }
    if (this.waiters.length === 0 && bucket.tryTake(now)) return now;
    const ahead = (this.waiters.length * 1000) / bucket.rate;
    if (now + bucket.msUntilToken(now) + ahead > notAfter) return Promise.reject(new RateLimitRefusal(bucket.rate));
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

  /**
   * AWS throttled an attempt whose token was taken at `takenAt`. An unlimited scope becomes limited at half the rate
   * it was sent at over the last second; a limited one halves its rate (once per round, see AdaptiveTokenBucket).
   */
  throttled(takenAt: number): void {
    const now = this.clock();
    if (this.limited) {
      this.limited.throttled(takenAt, now);
      return;
    }
    // At least 2: a scope throttled at its first call still gets one a second, not one every two seconds.
    const sent = Math.max(2, this.sentOverLastSecond(now));
    this.limited = new AdaptiveTokenBucket({ perSecond: sent, burst: sent }, now);
    this.limited.throttled(takenAt, now);
  }

  /**
   * AWS did not throttle an attempt: the rate grows back. A scope without a quota that is back where it was
   * throttled is unlimited again, and whoever waits goes at once.
   */
  answered(): void {
    const bucket = this.limited;
    if (!bucket) return;
    const now = this.clock();
    bucket.answered(now);
    if (this.quota || bucket.rate < bucket.quota.perSecond) return;
    this.limited = undefined;
    this.sentThisWindow = 0;
    this.sentLastWindow = 0;
    this.windowStart = now;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.waiters.splice(0)) {
      if (waiter.settled) continue;
      waiter.settled = true;
      this.sentThisWindow++;
      waiter.resolve(now);
    }
  }

  private countSent(now: number): void {
    this.roll(now);
    this.sentThisWindow++;
  }

  private sentOverLastSecond(now: number): number {
    this.roll(now);
    // The previous window counts for the part of it that is still within the last second.
    return this.sentThisWindow + this.sentLastWindow * Math.max(0, 1 - (now - this.windowStart) / WINDOW_MS);
  }

  private roll(now: number): void {
    const elapsed = now - this.windowStart;
    if (elapsed < WINDOW_MS) return;
    const windows = Math.floor(elapsed / WINDOW_MS);
    this.sentLastWindow = windows === 1 ? this.sentThisWindow : 0;
    this.sentThisWindow = 0;
    this.windowStart += windows * WINDOW_MS;
  }

  private release = (): void => {
    this.timer = undefined;
    const bucket = this.limited;
    const now = this.clock();
    while (bucket && this.waiters.length > 0) {
      const head = this.waiters[0]!;
      if (head.settled) {
        this.waiters.shift();
        continue;
      }
      // The rate may have dropped since this waiter queued: one that cannot get a token in time is told now, and
      // leaves the token to the next in line.
      if (now + bucket.msUntilToken(now) > head.notAfter) {
        this.waiters.shift();
        head.settled = true;
        head.reject(new RateLimitRefusal(bucket.rate));
        continue;
      }
      if (!bucket.tryTake(now)) break;
      this.waiters.shift();
      head.settled = true;
      head.resolve(now);
    }
    this.schedule(now);
  };

  private schedule(now: number): void {
    const bucket = this.limited;
    if (this.timer || !bucket || this.waiters.length === 0) return;
    this.timer = setTimeout(this.release, Math.max(1, Math.ceil(bucket.msUntilToken(now))));
    this.timer.unref();
  }
}

/** Scopes remembered; past this many, all are forgotten at once (a forgotten scope starts afresh). */
const MAX_SCOPES = 10_000;

/** One scope's current rate, for the metrics gauges (read at scrape time, never per call). */
export interface LimiterRate {
  readonly service: string;
  readonly operation: string;
  readonly region: string;
  readonly accountId: string;
  /** Requests per second allowed now; undefined: unlimited. */
  readonly perSecond: number | undefined;
  /** The documented quota, or the rate it was throttled at; undefined: unlimited. */
  readonly quotaPerSecond: number | undefined;
}

type ByOperation = Map<string, RateLimit>;

/**
 * The rate limits of every (account, region, service, operation) the process calls. Looked up through nested maps
 * of the site's own strings, so that finding a call's scope builds no key.
 */
export class AwsRateLimiter {
  private readonly scopes = new Map<string, Map<string, Map<string, ByOperation>>>();
  private scopeCount = 0;
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
    let regions = this.scopes.get(accountId);
    if (!regions) {
      regions = new Map();
      this.scopes.set(accountId, regions);
    }
    let services = regions.get(site.region);
    if (!services) {
      services = new Map();
      regions.set(site.region, services);
    }
    let operations = services.get(site.service);
    if (!operations) {
      operations = new Map();
      services.set(site.service, operations);
    }
    const limit = operations.get(site.operation);
    if (limit) return limit;
    if (this.scopeCount >= MAX_SCOPES) {
      this.scopes.clear();
      this.scopeCount = 0;
      return this.limitFor(site);
    }
    const quota = this.quotas.get(site.service)?.[site.operation] ?? this.settings.defaultQuota;
    const created = new RateLimit(quota, this.clock);
    operations.set(site.operation, created);
    this.scopeCount++;
    return created;
  }

  /** Every scope's current rate. */
  *rates(): IterableIterator<LimiterRate> {
    for (const [accountId, regions] of this.scopes)
      for (const [region, services] of regions)
        for (const [service, operations] of services)
          for (const [operation, limit] of operations) {
            const bucket = limit.bucket;
            yield {
              accountId,
              region,
              service,
              operation,
              perSecond: bucket?.rate,
              quotaPerSecond: bucket?.quota.perSecond,
            };
          }
  }
}
