import { LRUCache } from 'lru-cache';
import { entryBound } from '../cache/entry-bound.js';
import { z } from 'zod';
import { type AwsCallSite, GatewayError, type ServiceId, siteExtensions } from '../errors.js';
import type { LimiterSettings } from './limiter.js';

/**
 * How the gateway survives AWS misbehaving: the SDK's own retry strategy (jittered exponential backoff, a bounded
 * number of attempts, a retry quota per client) does the retrying; this module adds what the SDK cannot know about:
 * the budget and deadline of the GraphQL operation a call belongs to, and a circuit breaker per (service, region)
 * that sheds calls while an upstream keeps failing instead of piling retries onto it.
 */

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Environment settings, merged into config.ts's schema (env FOO_BAR == flag --foo-bar). */
export const resilienceEnvShape = {
  AWS_RETRY_MODE: z.enum(['standard', 'adaptive']).default('standard'),
  OPERATION_TIMEOUT_MS: int(100, 600_000).default(10_000),
  AWS_CALL_BUDGET: int(1, 100_000).default(200),
  CIRCUIT_FAILURE_THRESHOLD: int(0, 10_000).default(5),
  CIRCUIT_FAILURE_RATIO: z.coerce.number().gt(0).max(1).default(0.5),
  CIRCUIT_MIN_CALLS: int(1, 100_000).default(20),
  CIRCUIT_WINDOW_MS: int(1_000, 600_000).default(10_000),
  CIRCUIT_COOLDOWN_MS: int(100, 600_000).default(5_000),
  CALLER_AWS_CALLS_PER_SECOND: z.coerce.number().min(0).max(1_000_000).optional(),
  CALLER_AWS_CALL_BURST: int(1, 10_000_000).optional(),
  AWS_LIMITER: z.enum(['adaptive', 'off']).default('adaptive'),
  AWS_LIMITER_PER_SECOND: z.coerce.number().gt(0).max(1_000_000).optional(),
  AWS_LIMITER_BURST: int(1, 10_000_000).optional(),
};

export interface CircuitSettings {
  /** Consecutive failures that open the circuit; 0 turns the breaker off. */
  failureThreshold: number;
  /** Failure ratio over the rolling window that opens the circuit, once the window holds `minCalls` calls. */
  failureRatio: number;
  minCalls: number;
  windowMs: number;
  /** How long an open circuit sheds calls before letting one probe through. */
  cooldownMs: number;
}

export interface ResilienceSettings {
  retryMode: 'standard' | 'adaptive';
  /** Deadline of one GraphQL operation's AWS work, counted from the start of the request. */
  operationTimeoutMs: number;
  /** AWS requests (retries included) one GraphQL operation may make. */
  callBudget: number;
  circuit: CircuitSettings;
  /** AWS calls each caller may start, as a token bucket (shared by replicas through Redis); 0 per second: off. */
  callerQuota: { perSecond: number; burst: number };
  /** Client-side rate limits per (account, region, service, operation), adapting to AWS's throttling (limiter.ts). */
  limiter: LimiterSettings;
}

const resilienceEnvSchema = z.object(resilienceEnvShape);
type ResilienceEnv = z.output<typeof resilienceEnvSchema> & { NODE_ENV: string };

export function resilienceSettings(e: ResilienceEnv): ResilienceSettings {
  const perSecond = e.CALLER_AWS_CALLS_PER_SECOND ?? (e.NODE_ENV === 'production' ? 20 : 0);
  return {
    retryMode: e.AWS_RETRY_MODE,
    operationTimeoutMs: e.OPERATION_TIMEOUT_MS,
    callBudget: e.AWS_CALL_BUDGET,
    circuit: {
      failureThreshold: e.CIRCUIT_FAILURE_THRESHOLD,
      failureRatio: e.CIRCUIT_FAILURE_RATIO,
      minCalls: e.CIRCUIT_MIN_CALLS,
      windowMs: e.CIRCUIT_WINDOW_MS,
      cooldownMs: e.CIRCUIT_COOLDOWN_MS,
    },
    // The burst covers at least one operation's whole budget: a caller that has been quiet can always run one.
    callerQuota: { perSecond, burst: e.CALLER_AWS_CALL_BURST ?? Math.max(e.AWS_CALL_BUDGET, Math.ceil(perSecond * 2)) },
    limiter: limiterSettings(e),
  };
}

/**
 * Where AWS documents no quota, the gateway does not guess one: such an operation is unlimited until AWS throttles
 * it (limiter.ts), unless AWS_LIMITER_PER_SECOND gives every such operation a quota from the start.
 */
function limiterSettings(e: ResilienceEnv): LimiterSettings {
  const perSecond = e.AWS_LIMITER_PER_SECOND;
  return {
    enabled: e.AWS_LIMITER === 'adaptive',
    ...(perSecond === undefined
      ? {}
      : { defaultQuota: { perSecond, burst: e.AWS_LIMITER_BURST ?? Math.max(1, Math.ceil(perSecond)) } }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Errors

export function budgetExceeded(site: AwsCallSite, budget: number): GatewayError {
  return new GatewayError(
    `The operation used its budget of ${budget} AWS calls; ${site.service}:${site.operation} was not called. ` +
      'Ask for fewer items or fewer nested fields.',
    'AWS_CALL_BUDGET_EXCEEDED',
    { ...siteExtensions(site), awsCallBudget: budget },
  );
}

export function callerQuotaExceeded(site: AwsCallSite, retryAfterSeconds: number): GatewayError {
  return new GatewayError(
    `This caller has used its AWS calls for now; ${site.service}:${site.operation} was not called. ` +
      `Retry in ${retryAfterSeconds} s.`,
    'RATE_LIMITED',
    { ...siteExtensions(site), retryAfterSeconds },
  );
}

export function operationTimedOut(site: AwsCallSite, timeoutMs: number): GatewayError {
  return new GatewayError(
    `${site.service}:${site.operation} in ${site.region} was stopped: the operation reached its time limit of ` +
      `${timeoutMs} ms.`,
    'UPSTREAM_TIMEOUT',
    { ...siteExtensions(site), timeout: 'operation' },
  );
}

export function circuitOpen(site: AwsCallSite, retryAfterMs: number): GatewayError {
  return new GatewayError(
    `${site.service} in ${site.region} keeps failing; the gateway stopped calling it for now (circuit open). ` +
      'Retry later.',
    'UPSTREAM_UNAVAILABLE',
    {
      ...siteExtensions(site),
      circuit: 'open',
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
    },
  );
}

/**
 * The gateway's own rate limit for the call's scope (adapted down after AWS throttled it) has no token free before the
 * operation's deadline: the call is not made, rather than made only to be throttled or to arrive too late.
 */
export function rateLimitedLocally(site: AwsCallSite, perSecond: number): GatewayError {
  const where = site.accountId ? ` of account ${site.accountId}` : '';
  const call = `${site.service}:${site.operation} in ${site.region}${where}`;
  return new GatewayError(
    `${call} was not called: AWS throttles it, and at the rate it allows now (${formatRate(perSecond)}/s) no ` +
      `request is free before the operation's time limit. Retry later.`,
    'THROTTLED',
    { ...siteExtensions(site), limiter: 'client', retryAfterSeconds: Math.max(1, Math.ceil(1 / perSecond)) },
  );
}

function formatRate(perSecond: number): string {
  return perSecond >= 10 ? String(Math.round(perSecond)) : perSecond.toFixed(2);
}

/** Only failures that say something about the upstream's health move the breaker; our own refusals do not. */
export function breakerVerdict(error: GatewayError): 'failure' | 'success' | 'neutral' {
  const { code } = error;
  if (error.extensions.timeout === 'operation' || error.extensions.circuit || error.extensions.limiter)
    return 'neutral';
  if (code === 'UPSTREAM_UNAVAILABLE' || code === 'UPSTREAM_TIMEOUT' || code === 'THROTTLED') return 'failure';
  if (code === 'AWS_CALL_BUDGET_EXCEEDED' || code === 'RATE_LIMITED' || code === 'INTERNAL_SERVER_ERROR')
    return 'neutral';
  // NOT_FOUND (a miss is an answer, never a failure), FORBIDDEN, BAD_USER_INPUT: the upstream answered, so it is up.
  return 'success';
}

// ---------------------------------------------------------------------------------------------------------------
// Per-attempt accounting

/** What the per-attempt hook needs to know about the gateway call an HTTP attempt belongs to. */
export interface AttemptScope {
  site: AwsCallSite;
  /** Checked and counted before every attempt, so retries spend the operation's budget like first attempts. */
  beforeAttempt(attempt: number): void | Promise<void>;
  /** How each attempt that was sent ended (undefined: answered), before the SDK decides whether to retry. */
  afterAttempt?(error: unknown): void;
}

/**
 * The scope travels with the call itself: the AbortSignal given to `client.send(command, { abortSignal })` reaches
 * the client's HTTP handler on every attempt, retries included, whatever the SDK generation. (An AsyncLocalStorage
 * would carry it too, but it turns on async-hook propagation for every promise of the process.)
 */
const attemptScopes = new WeakMap<AbortSignal, AttemptScope>();

/** Runs `send` so that every HTTP attempt the SDK makes with `signal` (retries included) passes `scope.beforeAttempt`. */
export function withAttemptScope<T>(
  scope: AttemptScope,
  signal: AbortSignal,
  send: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  let attempt = 0;
  attemptScopes.set(signal, {
    site: scope.site,
    beforeAttempt: () => scope.beforeAttempt(++attempt),
    afterAttempt: scope.afterAttempt,
  });
  return send(signal);
}

interface HttpHandlerLike {
  handle(request: unknown, options?: { abortSignal?: unknown }): Promise<unknown>;
}

interface MiddlewareStackLike {
  add(middleware: unknown, options: Record<string, unknown>): void;
}

/** The attempt scope of each HTTP request sent, for the outcome middleware, which sees the request but not the signal. */
const sentRequests = new WeakMap<object, AttemptScope>();

/**
 * Installs the per-attempt hook on an SDK client: its HTTP handler runs the attempt scope of the call's signal
 * before sending, so the hook runs once per HTTP attempt, below the SDK's retry loop. An error it throws is not
 * retryable for the SDK (no status, no throttling or transient name) and ends the call at once. A middleware below
 * the retry loop and above the deserializer tells the scope how each attempt ended (`afterAttempt`), with the AWS
 * error already parsed, before the SDK decides whether to retry.
 */
export function installAttemptHook(client: {
  config: { requestHandler: HttpHandlerLike };
  middlewareStack: MiddlewareStackLike;
}): void {
  const handler = client.config.requestHandler;
  const send = handler.handle.bind(handler);
  handler.handle = (request, options) => {
    const signal = options?.abortSignal;
    const scope = signal instanceof AbortSignal ? attemptScopes.get(signal) : undefined;
    if (!scope) return send(request, options);
    if (scope.afterAttempt && typeof request === 'object' && request !== null) sentRequests.set(request, scope);
    try {
      const before = scope.beforeAttempt(0);
      return before ? before.then(() => send(request, options)) : send(request, options);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const outcome =
    (next: (args: { request?: unknown }) => Promise<unknown>) =>
    async (args: { request?: unknown }): Promise<unknown> => {
      try {
        const output = await next(args);
        afterAttempt(args.request, undefined);
        return output;
      } catch (error) {
        afterAttempt(args.request, error);
        throw error;
      }
    };
  client.middlewareStack.add(outcome, {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'gatewayAttemptOutcome',
    override: true,
  });
}

function afterAttempt(request: unknown, error: unknown): void {
  if (typeof request !== 'object' || request === null) return;
  const scope = sentRequests.get(request);
  if (!scope) return;
  sentRequests.delete(request);
  scope.afterAttempt?.(error);
}

// ---------------------------------------------------------------------------------------------------------------
// Retries of the previous SDK generation

const INITIAL_RETRY_TOKENS = 500;
const RETRY_COST = 5;
const TIMEOUT_RETRY_COST = 10;
const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

class RetryToken {
  constructor(
    private readonly delay: number,
    private readonly count: number,
    private readonly cost: number | undefined,
  ) {}

  getRetryDelay(): number {
    return this.delay;
  }

  getRetryCount(): number {
    return this.count;
  }

  getRetryCost(): number | undefined {
    return this.cost;
  }
}

/**
 * The retry strategy for the 3.332-generation client a module still builds, whose own SDK strategies cannot be used: the
 * @aws-sdk/util-retry 3.329 StandardRetryStrategy hands every request one shared token whose retry count never
 * resets (after `maxAttempts - 1` retries in the life of the process, nothing is retried again), and the older
 * middleware-retry strategy also retries signature errors. This is the current SDK's standard mode: `maxAttempts`
 * attempts per call, retries only of throttling and transient errors (5xx, timeouts, resets), full-jitter
 * exponential backoff (100 ms base, 500 ms for throttling, at most 20 s, at least a Retry-After hint), and a retry
 * quota per client (500 tokens, 5 per retry, 10 per timeout retry, refunded on success) so that a failing upstream
 * drains the quota instead of multiplying traffic.
 */
export class LegacyClientRetryStrategy {
  readonly mode = 'standard';
  private capacity = INITIAL_RETRY_TOKENS;

  constructor(private readonly maxAttempts: number) {}

  async acquireInitialRetryToken(_scope?: string): Promise<RetryToken> {
    return new RetryToken(0, 0, undefined);
  }

  async refreshRetryTokenForRetry(
    token: RetryToken,
    errorInfo: { errorType: string; retryAfterHint?: Date },
  ): Promise<RetryToken> {
    const { errorType, retryAfterHint } = errorInfo;
    const cost = errorType === 'TRANSIENT' ? TIMEOUT_RETRY_COST : RETRY_COST;
    const retryable = errorType === 'THROTTLING' || errorType === 'TRANSIENT';
    if (!retryable || token.getRetryCount() + 1 >= this.maxAttempts || this.capacity < cost)
      throw new Error('No retry token available');
    this.capacity -= cost;
    const base = errorType === 'THROTTLING' ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
    let delay = Math.floor(Math.random() * Math.min(MAX_DELAY_MS, 2 ** token.getRetryCount() * base));
    if (retryAfterHint) delay = Math.max(delay, Math.min(retryAfterHint.getTime() - Date.now(), delay + 5_000));
    return new RetryToken(delay, token.getRetryCount() + 1, cost);
  }

  recordSuccess(token: RetryToken): void {
    this.capacity = Math.min(INITIAL_RETRY_TOKENS, this.capacity + (token.getRetryCost() ?? 1));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Deadlines

/**
 * Settles like `promise`, or rejects with the signal's reason when it aborts first; never leaves a rejection
 * unhandled.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new DOMException('The operation was aborted.', 'AbortError'));
    if (signal.aborted) {
      promise.catch(() => undefined);
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Rejects with `onTimeout()` when `ms` pass first; the timer never keeps the process alive. */
export function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), Math.max(0, ms));
    timer.unref();
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------------------------
// Circuit breaker

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitPermit {
  release(outcome: 'failure' | 'success' | 'neutral'): void;
}

const BUCKETS = 10;

/**
 * Closed: calls pass; it opens after `failureThreshold` consecutive failures, or when the failure ratio over a
 * rolling window (of at least `minCalls` calls) reaches `failureRatio`. Open: calls fail fast for `cooldownMs`.
 * Half-open: one probe call goes through; its success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private consecutiveFailures = 0;
  private openedAt = 0;
  private probeInFlight = false;
  private readonly buckets = Array.from({ length: BUCKETS }, () => ({ start: -Infinity, ok: 0, failed: 0 }));

  constructor(
    private readonly settings: CircuitSettings,
    private readonly onStateChange: (state: CircuitState) => void = () => undefined,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  /** Milliseconds until an open circuit lets a probe through. */
  retryAfterMs(): number {
    return this.current === 'open' ? Math.max(0, this.openedAt + this.settings.cooldownMs - this.clock()) : 0;
  }

  /** A permit to call the upstream now, or null when the call must be shed. */
  tryAcquire(): CircuitPermit | null {
    if (this.settings.failureThreshold === 0) return NO_OP_PERMIT;
    if (this.current === 'open') {
      if (this.retryAfterMs() > 0) return null;
      this.transition('half-open');
    }
    if (this.current === 'half-open') {
      if (this.probeInFlight) return null;
      this.probeInFlight = true;
      return this.permit(true);
    }
    return this.permit(false);
  }

  private permit(probe: boolean): CircuitPermit {
    let released = false;
    return {
      release: (outcome) => {
        if (released) return;
        released = true;
        if (probe) this.probeInFlight = false;
        this.record(outcome, probe);
      },
    };
  }

  private record(outcome: 'failure' | 'success' | 'neutral', probe: boolean): void {
    if (outcome === 'neutral') return;
    if (probe && this.current === 'half-open') {
      if (outcome === 'success') this.close();
      else this.open();
      return;
    }
    if (this.current !== 'closed') return;
    const bucket = this.bucket();
    if (outcome === 'success') {
      bucket.ok++;
      this.consecutiveFailures = 0;
      return;
    }
    bucket.failed++;
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.settings.failureThreshold || this.ratioTripped()) this.open();
  }

  private ratioTripped(): boolean {
    const since = this.clock() - this.settings.windowMs;
    let ok = 0;
    let failed = 0;
    for (const b of this.buckets) {
      if (b.start < since) continue;
      ok += b.ok;
      failed += b.failed;
    }
    const total = ok + failed;
    return total >= this.settings.minCalls && failed / total >= this.settings.failureRatio;
  }

  private bucket() {
    const width = this.settings.windowMs / BUCKETS;
    const now = this.clock();
    const start = Math.floor(now / width) * width;
    const b = this.buckets[Math.floor(now / width) % BUCKETS]!;
    if (b.start !== start) {
      b.start = start;
      b.ok = 0;
      b.failed = 0;
    }
    return b;
  }

  private open(): void {
    this.openedAt = this.clock();
    this.transition('open');
  }

  private close(): void {
    this.consecutiveFailures = 0;
    for (const b of this.buckets) b.start = -Infinity;
    this.transition('closed');
  }

  private transition(state: CircuitState): void {
    if (this.current === state) return;
    this.current = state;
    this.onStateChange(state);
  }
}

const NO_OP_PERMIT: CircuitPermit = { release: () => undefined };

/** Breakers remembered; the least recently used go first (a forgotten breaker starts closed). */
const MAX_BREAKERS = 10_000;

/**
 * One breaker per (caller, account, service, region). Per region: a failing region must not shed calls to a healthy
 * one; per account, for the same reason (AWS throttles each account on its own, a role can fail in one account).
 * Per caller: a breaker counts the failures of the calls it guards, and one caller's load (say, a flood that AWS
 * throttles) must not open a circuit that sheds everyone else's calls. When AWS itself fails, every caller's
 * breaker opens after that caller's own few failures. Callers are the request's identity (API key name, JWT
 * subject, client address); the gateway's own calls (the account lookup at start) are the caller ''.
 *
 * `onStateChange` reports the worst state among the callers and accounts of a (service, region) (the metric's
 * value): open while any of their circuits is open.
 */
export class CircuitBreakers {
  private readonly breakers: LRUCache<string, CircuitBreaker>;
  /** Per (service, region): how many callers' circuits are open and half-open. */
  private readonly counts = new Map<
    string,
    { target: { service: ServiceId; region: string }; open: number; halfOpen: number; reported?: CircuitState }
  >();

  constructor(
    private readonly settings: CircuitSettings,
    private readonly onStateChange?: (target: { service: ServiceId; region: string }, state: CircuitState) => void,
  ) {
    this.breakers = new LRUCache<string, CircuitBreaker>({
      ...entryBound(MAX_BREAKERS),
      // A forgotten breaker no longer counts toward its target's state.
      dispose: (breaker, key) => this.count(key.slice(key.lastIndexOf('|') + 1), breaker.state, 'closed'),
    });
  }

  get(site: { service: ServiceId; region: string; accountId?: string }, caller = ''): CircuitBreaker {
    const targetId = `${site.service}:${site.region}`;
    // The target last: `dispose` finds it after the last '|' (a caller's name may hold one; a target never does).
    const id = `${caller}|${site.accountId ?? ''}|${targetId}`;
    let breaker = this.breakers.get(id);
    if (!breaker) {
      if (!this.counts.has(targetId)) {
        this.counts.set(targetId, { target: { service: site.service, region: site.region }, open: 0, halfOpen: 0 });
        // Reported from the start, so that a dashboard shows every circuit, not only those that have opened.
        this.report(targetId);
      }
      let previous: CircuitState = 'closed';
      breaker = new CircuitBreaker(this.settings, (state) => {
        this.count(targetId, previous, state);
        previous = state;
      });
      this.breakers.set(id, breaker);
    }
    return breaker;
  }

  private count(targetId: string, from: CircuitState, to: CircuitState): void {
    const entry = this.counts.get(targetId);
    if (!entry || from === to) return;
    if (from === 'open') entry.open--;
    if (from === 'half-open') entry.halfOpen--;
    if (to === 'open') entry.open++;
    if (to === 'half-open') entry.halfOpen++;
    this.report(targetId);
  }

  private report(targetId: string): void {
    const entry = this.counts.get(targetId)!;
    const state: CircuitState = entry.open > 0 ? 'open' : entry.halfOpen > 0 ? 'half-open' : 'closed';
    if (state === entry.reported) return;
    entry.reported = state;
    this.onStateChange?.(entry.target, state);
  }
}
