import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { percentile } from './stats.js';

export interface HttpRequestSpec {
  body: string;
  headers: Record<string, string>;
}

export interface LoadOptions {
  /** Loopback only: the benchmark never sends load elsewhere. */
  url: string;
  connections: number;
  /** Both bounds apply; the run ends at whichever comes first. */
  durationSeconds: number;
  maxRequests: number;
  /**
   * Seconds at the same concurrency before the measured window, not counted: connection pools fill, the JIT warms up,
   * and the first synchronised burst of `connections` requests is over. Added to `durationSeconds`.
   */
  warmupSeconds?: number;
  /** The same request every time... */
  request?: HttpRequestSpec;
  /** ...or a different one each time (the soak). */
  nextRequest?: () => HttpRequestSpec;
}

export interface LoadResult {
  connections: number;
  /** Responses completed in the measured window, and the window's length. */
  requests: number;
  seconds: number;
  /** Every response, warm-up included. */
  totalResponses: number;
  requestsPerSecond: number;
  /** Milliseconds, from every response's own timing (sub-millisecond resolution). */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** Connection errors, timeouts, non-2xx responses and 2xx responses carrying GraphQL errors: all should be 0. */
  failures: { errors: number; timeouts: number; non2xx: number; graphqlErrors: number };
}

export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]')
    throw new Error(`refusing to send load to ${host}: loopback only`);
}

export function graphqlRequest(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): HttpRequestSpec {
  return { body: JSON.stringify({ query, variables }), headers: { 'content-type': 'application/json', ...headers } };
}

/** One autocannon run at fixed concurrency, bounded in time and in count. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  assertLoopback(options.url);
  const latencies: number[] = [];
  const cap = options.maxRequests;
  const warmupMs = (options.warmupSeconds ?? 0) * 1000;
  let lastResponseAt = 0;
  let totalResponses = 0;
  const next = options.nextRequest;
  const fixed = options.request ?? next?.();
  if (!fixed) throw new Error('runLoad needs a request or nextRequest');
  const requests: AutocannonRequest[] = [
    next
      ? { method: 'POST', path: new URL(options.url).pathname, setupRequest: (req) => ({ ...req, ...next() }) }
      : { method: 'POST', path: new URL(options.url).pathname, body: fixed.body, headers: fixed.headers },
  ];

  const started = performance.now();
  const windowStart = started + warmupMs;
  let guard: NodeJS.Timeout | undefined;
  const result = await new Promise<AutocannonResult>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: Math.min(options.connections, cap),
        duration: options.durationSeconds + warmupMs / 1000,
        maxOverallRequests: cap,
        timeout: 10,
        sampleInt: 100,
        requests,
        headers: fixed.headers,
        verifyBody: (body) => !body.includes('"errors":'),
      },
      (error, res) => {
        clearTimeout(guard);
        if (error) reject(error);
        else resolve(res);
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
      const now = performance.now();
      totalResponses++;
      if (now < windowStart) return;
      lastResponseAt = now;
      if (latencies.length < cap) latencies.push(responseTime);
    });
    // A hung server must not hang the benchmark: stop well after the planned end.
    guard = setTimeout(() => instance.stop(), (options.durationSeconds + warmupMs / 1000 + 15) * 1000);
  });
  // The window ends with the last response (autocannon notices the end of a run up to a sample interval late).
  const seconds = Math.max(1e-3, ((lastResponseAt || performance.now()) - windowStart) / 1000);
  latencies.sort((x, y) => x - y);
  return {
    connections: Math.min(options.connections, cap),
    requests: latencies.length,
    seconds,
    totalResponses,
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    mean: latencies.length ? latencies.reduce((s, v) => s + v, 0) / latencies.length : Number.NaN,
    failures: {
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      graphqlErrors: result.mismatches,
    },
  };
}
