import pLimit, { type LimitFunction } from 'p-limit';
import type { AwsSettings } from '../config.js';
import { type AwsCallSite, type GatewayError, type ServiceId, classifyAwsError, fromAwsError } from '../errors.js';
import { AwsRateLimiter, type LimiterRate, type RateLimit, RateLimitRefusal, type ServiceQuotas } from './limiter.js';
import {
  type CircuitState,
  CircuitBreakers,
  breakerVerdict,
  budgetExceeded,
  callerQuotaExceeded,
  circuitOpen,
  operationTimedOut,
  raceAbort,
  rateLimitedLocally,
  withAttemptScope,
  withTimeout,
} from './resilience.js';

/** What one GraphQL operation spent on AWS; logged per operation and checked against budgets. */
export class AwsCallLedger {
  /**
   * @param caller whose operation this is (API key name, JWT subject, client address; see rateLimitKey): its
   * AWS-call quota is charged and its own circuit breakers guard the calls. '' for the gateway's own calls.
   */
  constructor(readonly caller = '') {}

  /** HTTP requests sent to AWS, retries included: what the quota is charged. */
  total = 0;
  /** Of `total`, the attempts beyond a call's first. */
  retries = 0;
  readonly byOperation = new Map<string, number>();
  /** The operation's deadline counts from here (the ledger is created with the request's context). */
  readonly startedAt = performance.now();

  /** Calls set aside by connections for their items (see preflight/budget.ts). */
  reserved = 0;

  /** Sets `calls` aside when the operation still has room for them within `budget`. */
  reserve(calls: number, budget: number): boolean {
    if (this.total + this.reserved + calls > budget) return false;
    this.reserved += calls;
    return true;
  }

  record(site: AwsCallSite): void {
    this.total++;
    const key = `${site.service}:${site.operation}`;
    this.byOperation.set(key, (this.byOperation.get(key) ?? 0) + 1);
  }
}

/** rate_limit: the scope's own rate limit (limiter.ts) had no token free before the deadline. */
export type ShedReason = 'circuit_open' | 'budget' | 'deadline' | 'caller_quota' | 'rate_limit';

/** AWS calls each caller may start (a token bucket per caller; security/token-bucket.ts). */
export interface CallerQuota {
  readonly enabled: boolean;
  take(caller: string): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }>;
}

export interface AwsCallObserver {
  onCall?(site: AwsCallSite, outcome: 'ok' | string, seconds: number): void;
  onRetry?(site: AwsCallSite): void;
  /** A call not made: its circuit was open, its operation's budget or deadline, or its caller's quota reached. */
  onShed?(site: AwsCallSite, reason: ShedReason): void;
  onCircuitChange?(target: { service: ServiceId; region: string }, state: CircuitState): void;
  /** An attempt waits `seconds` for a token of its scope's rate limit (only attempts that wait are reported). */
  onLimiterWait?(site: AwsCallSite, seconds: number): void;
  /** Called once, with how to read every scope's current rate (for a gauge read at scrape time). */
  watchLimiter?(rates: () => Iterable<LimiterRate>): void;
}

/**
 * The single door to AWS: every SDK call goes through `call`, which bounds concurrency per (account, service,
 * region), paces every attempt by its (account, region, service, operation) rate limit, sheds calls while that
 * upstream's circuit is open, holds the call to its own deadline and to its operation's deadline and AWS-call budget,
 * records every attempt, and turns failures into GraphQL errors with stable codes that name where the call went.
 * Retrying is the SDK's (standard or adaptive strategy, AWS_MAX_ATTEMPTS attempts).
 */
export class AwsCaller {
  private readonly limits = new Map<string, LimitFunction>();
  private readonly breakers: CircuitBreakers;
  /** Shared by every request of the process: the quotas are AWS's per account and region, not per request. */
  readonly limiter: AwsRateLimiter;

  /** `services`: the AWS services of the modules, with the request-rate quotas they declare. */
  constructor(
    private readonly settings: AwsSettings,
    private readonly observer: AwsCallObserver = {},
    private readonly quota?: CallerQuota,
    services: readonly ServiceQuotas[] = [],
  ) {
    this.breakers = new CircuitBreakers(settings.resilience.circuit, observer.onCircuitChange);
    this.limiter = new AwsRateLimiter(settings.resilience.limiter, services);
    observer.watchLimiter?.(() => this.limiter.rates());
  }

  /**
   * `options.maxAttempts`: the attempts the client behind `send` makes per call, when it is not AWS_MAX_ATTEMPTS (a
   * write sent once, through `ClientRegistry.get(service, region, { maxAttempts: 1 })`); the call's deadline is
   * that many attempts long.
   */
  async call<T>(
    site: AwsCallSite,
    ledger: AwsCallLedger | undefined,
    send: (signal: AbortSignal) => Promise<T>,
    options: { maxAttempts?: number } = {},
  ): Promise<T> {
    const { operationTimeoutMs, callBudget } = this.settings.resilience;
    const deadline = ledger ? ledger.startedAt + operationTimeoutMs : Infinity;
    if (ledger && ledger.total >= callBudget) throw this.shed(site, 'budget', budgetExceeded(site, callBudget));
    // A call its circuit would shed anyway costs the caller no quota.
    const breaker = this.breakers.get(site, ledger?.caller);
    if (breaker.retryAfterMs() > 0) throw this.shed(site, 'circuit_open', circuitOpen(site, breaker.retryAfterMs()));
    // Fair use: a caller that has spent its AWS calls for now gets this one refused, and AWS and the concurrency
    // slots stay for everyone else.
    await this.takeQuota(site, ledger);
    const attempts = options.maxAttempts ?? this.settings.maxAttempts;
    // The first attempt's token is waited for before the call queues for a concurrency slot, so that calls waiting
    // for a throttled operation's rate do not hold the slots other operations of the same scope could use.
    // The wait is bounded by the operation's deadline, not by the call's own timeout (which counts from the send);
    // a call outside any operation (the gateway's own) waits no longer than that timeout.
    const rateLimit = this.limiter.limitFor(site);
    const callMs = this.settings.callTimeoutMs * Math.max(1, attempts);
    const notAfter = deadline === Infinity ? performance.now() + callMs : deadline;
    const takenAt = rateLimit ? await this.takeToken(site, rateLimit, notAfter) : 0;
    // Waiting for a concurrency slot counts against the operation's deadline too.
    const queued = this.limitFor(site)(() => this.attempt(site, ledger, deadline, send, attempts, rateLimit, takenAt));
    if (deadline === Infinity) return queued;
    // Not counted as shed here: the queued attempt finds the deadline passed when it starts, and counts it then.
    return withTimeout(queued, deadline - performance.now(), () => operationTimedOut(site, operationTimeoutMs));
  }

  private async attempt<T>(
    site: AwsCallSite,
    ledger: AwsCallLedger | undefined,
    deadline: number,
    send: (signal: AbortSignal) => Promise<T>,
    maxAttempts: number,
    rateLimit: RateLimit | undefined,
    firstTakenAt: number,
  ): Promise<T> {
    const { operationTimeoutMs, callBudget } = this.settings.resilience;
    const remaining = deadline - performance.now();
    if (remaining <= 0) throw this.shed(site, 'deadline', operationTimedOut(site, operationTimeoutMs));
    if (ledger && ledger.total >= callBudget) throw this.shed(site, 'budget', budgetExceeded(site, callBudget));
    const breaker = this.breakers.get(site, ledger?.caller);
    const permit = breaker.tryAcquire();
    if (!permit) throw this.shed(site, 'circuit_open', circuitOpen(site, breaker.retryAfterMs()));

    const started = performance.now();
    // The call's deadline covers the SDK's own retries, so one slow call cannot hold an operation indefinitely.
    const callMs = this.settings.callTimeoutMs * Math.max(1, maxAttempts);
    const operationBound = remaining < callMs;
    // Not AbortSignal.timeout: a timeout signal with listeners (the SDK's HTTP handler adds some) stays reachable
    // until its delay passes, keeping every finished call's request objects alive that long. A cleared timer frees it
    // at once.
    const controller = new AbortController();
    const signal = controller.signal;
    const abortInMs = Math.max(1, Math.ceil(Math.min(callMs, remaining)));
    const abortAt = started + abortInMs;
    const timer = setTimeout(
      () => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')),
      abortInMs,
    );
    timer.unref();
    let attempts = 0;
    let takenAt = firstTakenAt;
    const scope = {
      site,
      beforeAttempt: async (attempt: number) => {
        // The caller was answered when the deadline passed; an attempt the SDK would still make is not wanted. The
        // error is not retryable, so it also ends the SDK's retry loop.
        if (signal.aborted) throw operationTimedOut(site, operationTimeoutMs);
        if (ledger && ledger.total >= callBudget) throw this.shed(site, 'budget', budgetExceeded(site, callBudget));
        // A retry is one more request to AWS: the caller's quota pays for it too (the first attempt was paid for
        // before the call queued), so a throttled flood cannot triple itself with retries. It waits for its scope's
        // rate like a first attempt: after a throttle that rate is lower. Other calls of the operation may have
        // spent its budget meanwhile: it is checked again after the waits, and the attempt counted at once.
        if (attempt > 1) {
          await this.takeQuota(site, ledger);
          if (rateLimit) takenAt = await this.takeToken(site, rateLimit, abortAt, signal);
          if (signal.aborted) throw operationTimedOut(site, operationTimeoutMs);
          if (ledger && ledger.total >= callBudget) throw this.shed(site, 'budget', budgetExceeded(site, callBudget));
        }
        ledger?.record(site);
        attempts++;
        if (attempt > 1) {
          if (ledger) ledger.retries++;
          this.observer.onRetry?.(site);
        }
      },
      afterAttempt: rateLimit ? (error: unknown) => this.adapt(rateLimit, takenAt, error) : undefined,
    };
    try {
      // raceAbort: a retry strategy sleeping between attempts may not watch the signal; the caller is answered anyway.
      const result = await raceAbort(withAttemptScope(scope, signal, send), signal);
      permit.release('success');
      this.observer.onCall?.(site, 'ok', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      const mapped: GatewayError =
        signal.aborted && operationBound
          ? this.shed(site, 'deadline', operationTimedOut(site, operationTimeoutMs))
          : fromAwsError(error, site);
      permit.release(breakerVerdict(mapped));
      // A call refused before its first attempt was never made: it is counted as shed, not as a call.
      if (attempts > 0)
        this.observer.onCall?.(site, String(mapped.extensions.code), (performance.now() - started) / 1000);
      throw mapped;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A token of the call's scope, waited for in line when none is free (never past `notAfter`: a wait that would end
   * later is refused, THROTTLED, at once or as soon as a drop of the rate means it). Returns when the token was
   * taken, which tells `adapt` which rate the attempt was sent at.
   */
  private async takeToken(site: AwsCallSite, rateLimit: RateLimit, notAfter: number, signal?: AbortSignal) {
    const queuedAt = performance.now();
    const taken = rateLimit.acquire(notAfter, signal);
    if (typeof taken === 'number') return taken;
    try {
      const takenAt = await taken;
      this.observer.onLimiterWait?.(site, (takenAt - queuedAt) / 1000);
      return takenAt;
    } catch (error) {
      if (error instanceof RateLimitRefusal)
        throw this.shed(site, 'rate_limit', rateLimitedLocally(site, error.perSecond));
      throw error;
    }
  }

  /**
   * Feedback for the scope's rate: AWS throttled the attempt (the rate halves), or did not (the rate grows). Only
   * throttling says the rate is too high; a failure of another kind (an error, a lost connection) does not, and must
   * not keep a scope that is no longer throttled at a low rate.
   */
  private adapt(rateLimit: RateLimit, takenAt: number, error: unknown): void {
    if (error !== undefined && classifyAwsError(error) === 'THROTTLED') rateLimit.throttled(takenAt);
    else rateLimit.answered();
  }

  /** One AWS request's worth of the caller's quota, or RATE_LIMITED. */
  private async takeQuota(site: AwsCallSite, ledger: AwsCallLedger | undefined): Promise<void> {
    if (!ledger?.caller || !this.quota?.enabled) return;
    const taken = await this.quota.take(ledger.caller);
    if (!taken.ok) throw this.shed(site, 'caller_quota', callerQuotaExceeded(site, taken.retryAfterSeconds));
  }

  private shed(site: AwsCallSite, reason: ShedReason, error: GatewayError): GatewayError {
    this.observer.onShed?.(site, reason);
    return error;
  }

  private limitFor(site: AwsCallSite): LimitFunction {
    const id = `${site.accountId ?? ''}|${site.service}:${site.region}`;
    let limit = this.limits.get(id);
    if (!limit) {
      limit = pLimit(this.settings.maxConcurrency);
      this.limits.set(id, limit);
    }
    return limit;
  }
}
