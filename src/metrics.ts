import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics, one registry per gateway instance (tests run several gateways in one process).
 * Labels stay low-cardinality: service, operation, outcome code, region, cache type; never ids or ARNs.
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
    help: 'AWS calls not made: circuit open, operation budget or operation deadline reached.',
    labelNames: ['service', 'region', 'reason'] as const,
    registers: [this.registry],
  });

  readonly awsCircuitState = new Gauge({
    name: 'gateway_aws_circuit_state',
    help: 'Circuit breaker per service and region: 0 closed, 1 half-open, 2 open.',
    labelNames: ['service', 'region'] as const,
    registers: [this.registry],
  });

  readonly requestsRefused = new Counter({
    name: 'gateway_requests_refused_total',
    help: 'Requests refused before execution (limits, authentication, rate limit, malformed bodies), by code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'gateway_' });
  }
}
