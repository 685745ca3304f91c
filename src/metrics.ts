import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AwsCallObserver } from './aws/call.js';
import type { LimiterRate } from './aws/limiter.js';

/**
 * Prometheus metrics, one registry per gateway instance (tests run several gateways in one process).
 * Labels stay low-cardinality: service, operation, outcome code, region, cache type; never ids, ARNs or accounts.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly awsCalls = new Counter({
    name: 'gateway_aws_calls_total',
    help: 'AWS calls made, by service, operation, region and outcome (ok or the GraphQL error code).',
    labelNames: ['service', 'operation', 'region', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly awsCallSeconds = new Histogram({
    name: 'gateway_aws_call_duration_seconds',
    help: 'AWS call latency, SDK retries included.',
    labelNames: ['service', 'operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly loaderBatchSize = new Histogram({
    name: 'gateway_loader_batch_size',
    help: 'Keys per DataLoader batch.',
    labelNames: ['loader'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers: [this.registry],
  });

  readonly cacheRequests = new Counter({
    name: 'gateway_cache_requests_total',
    help: 'Shared cache lookups by resource type and result (hit, miss, bypass).',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });

  readonly cacheEvictions = new Counter({
    name: 'gateway_cache_evictions_total',
    help: 'Entries evicted from the in-memory cache to stay within its bound.',
    registers: [this.registry],
  });

  readonly responseCacheEvictions = new Counter({
    name: 'gateway_response_cache_evictions_total',
    help: 'Whole responses evicted from the response cache to stay within RESPONSE_CACHE_MAX_BYTES.',
    registers: [this.registry],
  });

  readonly responseCacheFirstSightings = new Counter({
    name: 'gateway_response_cache_first_sightings_total',
    help: 'Cacheable responses not kept because their operation and variables were asked for the first time (RESPONSE_CACHE_ADMISSION=second).',
    registers: [this.registry],
  });

  readonly inflightShared = new Counter({
    name: 'gateway_cache_inflight_shared_total',
    help: 'Lookups answered by joining an AWS call already in flight for another request.',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly operationSeconds = new Histogram({
    name: 'gateway_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency.',
    labelNames: ['operation_type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly operationErrors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'GraphQL errors returned, by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly awsRetries = new Counter({
    name: 'gateway_aws_retries_total',
    help: 'AWS call attempts beyond the first (SDK retries of throttling, 5xx and network failures).',
    labelNames: ['service', 'operation', 'region'] as const,
    registers: [this.registry],
  });

  readonly awsCallsShed = new Counter({
    name: 'gateway_aws_calls_shed_total',
    help:
      'AWS calls not made: circuit open, operation budget or deadline reached, caller quota spent, or no token of ' +
      'the rate limit before the deadline (reason rate_limit).',
    labelNames: ['service', 'region', 'reason'] as const,
    registers: [this.registry],
  });

  readonly awsCircuitState = new Gauge({
    name: 'gateway_aws_circuit_state',
    help: 'Circuit breaker per service and region: 0 closed, 1 half-open, 2 open.',
    labelNames: ['service', 'region'] as const,
    registers: [this.registry],
  });

  readonly awsLimiterWaitSeconds = new Histogram({
    name: 'gateway_aws_limiter_wait_seconds',
    help:
      'Time AWS call attempts waited for a token of their (account, region, service, operation) rate limit; ' +
      'only attempts that waited are counted.',
    labelNames: ['service', 'operation', 'region'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** Read from the limiter when scraped (see `watchLimiter`): nothing is set per call. */
  readonly awsLimiterRate: LimiterGauge = new Gauge({
    name: 'gateway_aws_limiter_rate',
    help:
      'Requests per second the client-side rate limit allows now, by service, operation and region: the lowest ' +
      'over the accounts called. Only limited scopes: a documented quota, or AWS throttled the scope; an ' +
      'operation without either is unlimited and has no series.',
    labelNames: ['service', 'operation', 'region'] as const,
    registers: [this.registry],
    collect: (): void => this.collectLimiter(this.awsLimiterRate, (scope) => scope.rate),
  });

  readonly awsLimiterQuota: LimiterGauge = new Gauge({
    name: 'gateway_aws_limiter_quota',
    help:
      'Requests per second the client-side rate limit allows at most: the documented quota, or (an operation without ' +
      'one) the rate AWS throttled it at, past which it is unlimited again.',
    labelNames: ['service', 'operation', 'region'] as const,
    registers: [this.registry],
    collect: (): void => this.collectLimiter(this.awsLimiterQuota, (scope) => scope.quota),
  });

  readonly awsLimiterThrottledAccounts: LimiterGauge = new Gauge({
    name: 'gateway_aws_limiter_throttled_accounts',
    help: 'Accounts whose rate for this service, operation and region is below its quota after AWS throttled them.',
    labelNames: ['service', 'operation', 'region'] as const,
    registers: [this.registry],
    collect: (): void => this.collectLimiter(this.awsLimiterThrottledAccounts, (scope) => scope.throttled),
  });

  private limiterRates?: () => Iterable<LimiterRate>;

  /** Read from the caches when scraped (see `watchCaches`). */
  readonly memoryCacheBytes: CacheGauge = new Gauge({
    name: 'gateway_memory_cache_bytes',
    help:
      'Estimated heap bytes held by each in-process cache: resources (CACHE_MAX_BYTES), responses ' +
      "(RESPONSE_CACHE_MAX_BYTES), first-pages (the planner's memo of list first pages).",
    labelNames: ['cache'] as const,
    registers: [this.registry],
    collect: (): void => this.collectCaches(this.memoryCacheBytes, (c) => c.bytes),
  });

  readonly memoryCacheEntries: CacheGauge = new Gauge({
    name: 'gateway_memory_cache_entries',
    help: 'Entries held by each in-process cache (expired ones not yet swept included).',
    labelNames: ['cache'] as const,
    registers: [this.registry],
    collect: (): void => this.collectCaches(this.memoryCacheEntries, (c) => c.entries),
  });

  private caches?: () => Iterable<CacheSize>;

  readonly requestsRefused = new Counter({
    name: 'gateway_requests_refused_total',
    help: 'Requests refused before execution (limits, authentication, rate limit, malformed bodies), by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
  }

  /** The rate limiter's scopes, read at every scrape. */
  watchLimiter(rates: () => Iterable<LimiterRate>): void {
    this.limiterRates = rates;
  }

  /** The in-process caches' sizes, read at every scrape. */
  watchCaches(caches: () => Iterable<CacheSize>): void {
    this.caches = caches;
  }

  private collectCaches(gauge: CacheGauge, value: (cache: CacheSize) => number): void {
    gauge.reset();
    for (const cache of this.caches?.() ?? []) gauge.set({ cache: cache.cache }, value(cache));
  }

  /** Sets `gauge` from the limiter's scopes; accounts are folded into each (service, operation, region). */
  private collectLimiter(gauge: LimiterGauge, value: (scope: LimiterScope) => number): void {
    gauge.reset();
    for (const scope of limiterScopes(this.limiterRates?.() ?? [])) gauge.set(scope.labels, value(scope));
  }
}

type LimiterGauge = Gauge<'service' | 'operation' | 'region'>;
type CacheGauge = Gauge<'cache'>;

export interface CacheSize {
  cache: 'resources' | 'responses' | 'first-pages';
  bytes: number;
  entries: number;
}

interface LimiterScope {
  labels: { service: string; operation: string; region: string };
  /** Over the accounts whose scope is limited now: the lowest rate, the highest quota, how many are throttled. */
  rate: number;
  quota: number;
  throttled: number;
}

/**
 * Account ids are no labels: the limited scopes of a (service, operation, region) are summed up over their accounts.
 * An unlimited scope (no quota, not throttled) has no series.
 */
function limiterScopes(rates: Iterable<LimiterRate>): Iterable<LimiterScope> {
  const scopes = new Map<string, LimiterScope>();
  for (const r of rates) {
    if (r.perSecond === undefined || r.quotaPerSecond === undefined) continue;
    const id = `${r.service}|${r.operation}|${r.region}`;
    let scope = scopes.get(id);
    if (!scope) {
      const labels = { service: r.service, operation: r.operation, region: r.region };
      scope = { labels, rate: r.perSecond, quota: r.quotaPerSecond, throttled: 0 };
      scopes.set(id, scope);
    }
    scope.rate = Math.min(scope.rate, r.perSecond);
    scope.quota = Math.max(scope.quota, r.quotaPerSecond);
    if (r.perSecond < r.quotaPerSecond) scope.throttled++;
  }
  return scopes.values();
}

/** The AWS caller's observer that records its calls, retries, sheds, circuits and rate limits in `metrics`. */
export function awsCallObserver(metrics: Metrics): AwsCallObserver {
  return {
    onCall(site, outcome, seconds) {
      metrics.awsCalls.inc({ service: site.service, operation: site.operation, region: site.region, outcome });
      metrics.awsCallSeconds.observe({ service: site.service, operation: site.operation }, seconds);
    },
    onRetry: (site) =>
      metrics.awsRetries.inc({ service: site.service, operation: site.operation, region: site.region }),
    onShed: (site, reason) => metrics.awsCallsShed.inc({ service: site.service, region: site.region, reason }),
    onCircuitChange: (target, state) =>
      metrics.awsCircuitState.set(target, state === 'closed' ? 0 : state === 'half-open' ? 1 : 2),
    onLimiterWait: (site, seconds) =>
      metrics.awsLimiterWaitSeconds.observe(
        { service: site.service, operation: site.operation, region: site.region },
        seconds,
      ),
    watchLimiter: (rates) => metrics.watchLimiter(rates),
  };
}
