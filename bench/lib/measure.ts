import { isDeepStrictEqual } from 'node:util';
import type { CpuMonitor } from './cpu.js';
import type { EmulatorControl } from './emulator-control.js';
import { type HttpRequestSpec, type LoadResult, assertLoopback, graphqlRequest, runLoad } from './load.js';
import type { Scenario } from './scenarios.js';

/**
 * One timed run of `request` against a server at `connections` (32 by default), once the emulator is quiet: the
 * server's CPU time per response from /proc, and its req/s. What the interleaved comparisons (bench:heap,
 * bench:compare) take per round.
 */
export async function cpuRun(
  server: { url: string; cpuMs(): number },
  emulator: EmulatorControl,
  request: HttpRequestSpec,
  seconds: number,
  connections = 32,
): Promise<{ cpuMsPerRequest: number; requestsPerSecond: number }> {
  await quiesce(emulator);
  const before = server.cpuMs();
  const load = await runLoad({
    url: server.url,
    connections,
    durationSeconds: seconds,
    maxRequests: 200_000,
    nextRequest: () => request,
  });
  return {
    cpuMsPerRequest: (server.cpuMs() - before) / Math.max(1, load.totalResponses),
    requestsPerSecond: load.requestsPerSecond,
  };
}

/** Cold requests tell the gateway to skip cache reads; baselines have no cache and ignore the header. */
export const COLD_HEADERS = { 'cache-control': 'no-cache' } as const;

export function scenarioRequest(scenario: Scenario, query = scenario.query): HttpRequestSpec {
  return graphqlRequest(query, scenario.variables, scenario.cache === 'cold' ? COLD_HEADERS : {});
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
}

export async function send(url: string, request: HttpRequestSpec): Promise<{ status: number; body: GraphQLBody }> {
  assertLoopback(url);
  const res = await fetch(url, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: GraphQLBody;
  try {
    body = JSON.parse(text) as GraphQLBody;
  } catch {
    body = { errors: [{ message: `not JSON (HTTP ${res.status}): ${text.slice(0, 200)}` }] };
  }
  return { status: res.status, body };
}

/**
 * Waits until the emulator has served no call for `quietMs`: requests a load run left in flight (autocannon stops
 * sending, the server still finishes them) must not be counted against the next measurement. Bounded by `timeoutMs`.
 */
export async function quiesce(emulator: EmulatorControl, quietMs = 200, timeoutMs = 60_000): Promise<void> {
  const pollMs = 50;
  const deadline = performance.now() + timeoutMs;
  let last = (await emulator.stats()).total;
  let quietSince = performance.now();
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const total = (await emulator.stats()).total;
    if (total !== last) {
      last = total;
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= quietMs) {
      return;
    }
  }
  throw new Error(`the emulator kept serving calls for ${timeoutMs} ms after a run ended`);
}

export interface CallCount {
  total: number;
  byOperation: Record<string, number>;
  /** The response of the counted request. */
  status: number;
  body: GraphQLBody;
}

/**
 * Exactly the AWS calls one operation costs: counters reset, one request, counters read. Warm scenarios send one
 * priming request first, so the count is what a request finds the cache holding.
 */
export async function countCalls(url: string, scenario: Scenario, emulator: EmulatorControl): Promise<CallCount> {
  const request = scenarioRequest(scenario);
  await quiesce(emulator);
  if (scenario.cache === 'warm') await send(url, request);
  await emulator.reset();
  const { status, body } = await send(url, request);
  const stats = await emulator.stats();
  return { total: stats.total, byOperation: stats.calls, status, body };
}

export interface TimingOptions {
  /** Latency run: one connection, so latency is the operation's own, without queueing. */
  latencySeconds: number;
  latencyWarmupSeconds: number;
  latencyMaxRequests: number;
  /** Throughput run at fixed concurrency, measured after a warm-up at the same concurrency. */
  connections: number;
  loadSeconds: number;
  loadWarmupSeconds: number;
  loadMaxRequests: number;
}

export interface Timing {
  latency: LoadResult;
  load: LoadResult;
  /** Average cores other processes on the machine used during the throughput run (NaN when unknown). */
  foreignCpuCores: number;
  /** AWS calls the emulator served during the throughput run (warm-up included), per response. */
  awsCallsPerRequestUnderLoad: number;
  /** CPU time the server process used during the throughput run (warm-up included), per response, ms (/proc). */
  cpuMsPerRequest: number;
}

export async function measureTiming(
  url: string,
  scenario: Scenario,
  emulator: EmulatorControl,
  options: TimingOptions,
  cpu?: CpuMonitor,
  /** The server's CPU time so far, ms (ServerProcess.cpuMs). */
  serverCpuMs: () => number = () => Number.NaN,
): Promise<Timing> {
  const request = scenarioRequest(scenario);
  if (scenario.cache === 'warm') await send(url, request);
  await quiesce(emulator);
  const latency = await runLoad({
    url,
    request,
    connections: 1,
    warmupSeconds: options.latencyWarmupSeconds,
    durationSeconds: options.latencySeconds,
    maxRequests: options.latencyMaxRequests,
  });
  await quiesce(emulator);
  await emulator.reset();
  cpu?.begin();
  const cpuBefore = serverCpuMs();
  const load = await runLoad({
    url,
    request,
    connections: options.connections,
    warmupSeconds: options.loadWarmupSeconds,
    durationSeconds: options.loadSeconds,
    maxRequests: options.loadMaxRequests,
  });
  const foreignCpuCores = cpu?.end() ?? Number.NaN;
  // Responses and CPU both include the warm-up: the same window for both.
  const cpuMsPerRequest = load.totalResponses ? (serverCpuMs() - cpuBefore) / load.totalResponses : Number.NaN;
  // Calls of requests still in flight when the run stopped belong to it too.
  await quiesce(emulator);
  const served = (await emulator.stats()).total;
  return {
    latency,
    load,
    foreignCpuCores,
    awsCallsPerRequestUnderLoad: load.totalResponses ? served / load.totalResponses : Number.NaN,
    cpuMsPerRequest,
  };
}

/** The latency added to every AWS call while rounds are measured, on top of the benchmark's. */
export const ROUND_PROBE_MS = 200;

/**
 * How many sequential rounds of AWS calls one request of `scenario` takes: each round adds one call latency to the
 * request's own, so raising the emulator's latency by ROUND_PROBE_MS raises the request's by that many times it.
 * Measured as the fastest of `tries` requests (one at a time) at each latency; 0 for a request that calls nothing.
 */
export async function measureRounds(
  url: string,
  scenario: Scenario,
  emulator: EmulatorControl,
  latencyMs: number,
  tries = 3,
): Promise<number> {
  const request = scenarioRequest(scenario);
  const fastest = async () => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < tries; i++) {
      const started = performance.now();
      await send(url, request);
      best = Math.min(best, performance.now() - started);
    }
    return best;
  };
  if (scenario.cache === 'warm') await send(url, request);
  await quiesce(emulator);
  const base = await fastest();
  await emulator.setLatency(latencyMs + ROUND_PROBE_MS);
  try {
    const slow = await fastest();
    return Math.max(0, Math.round((slow - base) / ROUND_PROBE_MS));
  } finally {
    await emulator.setLatency(latencyMs);
  }
}

/** Whether two responses carry the same data (the baselines must answer exactly what the gateway answers). */
export function sameData(a: GraphQLBody | undefined, b: GraphQLBody | undefined): boolean {
  return a?.data !== undefined && a.data !== null && isDeepStrictEqual(withoutCursors(a.data), withoutCursors(b?.data));
}

const CURSOR_FIELDS = new Set(['endCursor', 'startCursor', 'cursor']);

/**
 * Cursors are opaque and each implementation writes its own (the gateway's names the scope it resumes, account and
 * region included); whether there is one is compared, not its text.
 */
function withoutCursors(value: unknown, depth = 0): unknown {
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => withoutCursors(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      CURSOR_FIELDS.has(key) && typeof item === 'string' ? 'a cursor' : withoutCursors(item, depth + 1),
    ]),
  );
}
