import { seededRandom } from '../../src/emulator/random.js';
import { type HttpRequestSpec, type LoadResult, graphqlRequest, runLoad } from './load.js';
import { COLD_HEADERS } from './measure.js';
import type { BenchData, Scenario } from './scenarios.js';
import { fitLine } from './stats.js';

/** Growth (MB per minute, least squares after warm-up) below which RSS counts as flat. See the report's notes. */
export const FLAT_SLOPE_MB_PER_MINUTE = 5;
/** The window of the first peak the report gives beside the whole soak's: a 60 s soak from start-up. */
export const FIRST_WINDOW_SECONDS = 60;
/** Seconds between two readings of the cache gauges (each one a /metrics request to the server under load). */
const CACHE_SAMPLE_EVERY = 5;

export interface SoakResult {
  seconds: number;
  connections: number;
  warmupSeconds: number;
  load: LoadResult;
  /**
   * Seconds since the start, RSS and the V8 heap (used, not collected first) in MB, one per second; every
   * `CACHE_SAMPLE_EVERY` seconds also what the in-process caches hold (their estimated bytes, from /metrics).
   */
  samples: Array<{ t: number; rssMb: number; heapUsedMb?: number; heapTotalMb?: number; cachesMb?: number }>;
  peakRssMb: number;
  /** The highest RSS within the first `FIRST_WINDOW_SECONDS` from a fresh start (the whole soak when shorter). */
  peakRssFirstWindowMb: number;
  /**
   * The live heap: heapUsed right after a full garbage collection, once the load has stopped (and RSS then). Not
   * sampled during the load, where forced collections would lower the RSS being measured.
   */
  afterLoad?: { liveHeapMb: number; rssMb: number; heapTotalMb: number };
  slopeMbPerMinute: number;
  /** The slope's standard error: how much the GC's saw-tooth alone moves it over this window. */
  slopeStandardErrorMbPerMinute: number;
  flat: boolean;
}

/**
 * A mix that keeps the cache and the loaders busy with a working set of thousands of resources: single lookups and
 * `nodes` batches over random resources of the whole data set, list pages of random domains, and the dashboard
 * warm and cold. Seeded, so every run sends the same sequence.
 */
export function soakRequests(data: BenchData, scenarios: readonly Scenario[], seed: number): () => HttpRequestSpec {
  const byId = new Map(scenarios.map((s) => [s.id, s]));
  const single = byId.get('single-lookup')!;
  const list = byId.get('list-page')!;
  const dashboard = byId.get('dashboard-warm')!;
  const nodes = byId.get('entities-nodes')!;
  const streams = data.regions.flatMap((r) => data.domains(r).flatMap((d) => data.streams(r, d)));
  const domains = data.regions.flatMap((r) => data.domains(r).map((d) => ({ region: r, domainName: d })));
  const arns = [
    ...streams.map((s) => s.arn),
    ...data.regions.flatMap((r) => data.trackers(r).map((t) => t.arn)),
    ...data.internetEvents().map((e) => e.arn),
  ];
  const random = seededRandom(seed);
  const any = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const dashboardWarm = graphqlRequest(dashboard.query, dashboard.variables);
  const dashboardCold = graphqlRequest(dashboard.query, dashboard.variables, COLD_HEADERS);
  return () => {
    const r = random();
    if (r < 0.1) return dashboardWarm;
    if (r < 0.15) return dashboardCold;
    if (r < 0.55) {
      const s = any(streams);
      return graphqlRequest(single.query, { region: s.region, domainName: s.domainName, name: s.name });
    }
    if (r < 0.8) return graphqlRequest(nodes.query, { ids: Array.from({ length: 10 }, () => any(arns)) });
    return graphqlRequest(list.query, { ...any(domains), first: 25 });
  };
}

const MB = 1024 * 1024;

/** Estimated bytes and entries per in-process cache, and how many entries each cache pushed out. */
export interface CacheSizes {
  evictions: number;
  responseEvictions?: number;
  /** Cacheable responses the response cache did not keep, being their operation's first sighting. */
  responseFirstSightings?: number;
  held: Record<string, { bytes: number; entries: number }>;
}

/** What the product's in-process caches hold and how many entries the resource cache pushed out, from /metrics. */
export async function cacheSizes(url: string): Promise<CacheSizes> {
  const text = await (
    await fetch(url.replace(/\/graphql$/, '/metrics'), { signal: AbortSignal.timeout(5_000) })
  ).text();
  const caches: CacheSizes = { evictions: 0, responseEvictions: 0, held: {} };
  for (const line of text.split('\n')) {
    const gauge = /^gateway_memory_cache_(bytes|entries)\{cache="([\w-]+)"\} (\d+)/.exec(line);
    if (gauge) {
      const held = caches.held[gauge[2]!] ?? { bytes: 0, entries: 0 };
      held[gauge[1] === 'bytes' ? 'bytes' : 'entries'] = Number(gauge[3]);
      caches.held[gauge[2]!] = held;
    }
    const evicted = /^gateway_cache_evictions_total (\d+)/.exec(line);
    if (evicted) caches.evictions = Number(evicted[1]);
    const responsesEvicted = /^gateway_response_cache_evictions_total (\d+)/.exec(line);
    if (responsesEvicted) caches.responseEvictions = Number(responsesEvicted[1]);
    const firstSightings = /^gateway_response_cache_first_sightings_total (\d+)/.exec(line);
    if (firstSightings) caches.responseFirstSightings = Number(firstSightings[1]);
  }
  return caches;
}

/** What the soak reads of the server under load. */
export interface SoakProbes {
  /** Its resident set now, MB. */
  rssMb: () => number;
  /** Its highest resident set so far, MB (VmHWM), when the platform keeps one; otherwise the samples' highest. */
  peakRssMb?: () => number;
  /** Its process.memoryUsage(), after a full collection with `gc` (ServerProcess.memory). */
  memory?: (gc: boolean) => Promise<NodeJS.MemoryUsage>;
  /** Bytes its in-process caches hold, all together (their gauges). */
  cacheBytes?: () => Promise<number>;
}

export async function soak(
  url: string,
  probes: SoakProbes,
  nextRequest: () => HttpRequestSpec,
  options: { seconds: number; connections: number; warmupSeconds: number },
): Promise<SoakResult> {
  const { rssMb, memory, cacheBytes } = probes;
  let firstWindowPeak: number | undefined;
  const samples: SoakResult['samples'] = [];
  const started = performance.now();
  const pending: Array<Promise<unknown>> = [];
  /** One reading (the caches' every CACHE_SAMPLE_EVERY readings, and at the end); resolves once it is complete. */
  const sample = (last = false) => {
    const entry: SoakResult['samples'][number] = { t: (performance.now() - started) / 1000, rssMb: rssMb() };
    const reading = samples.length;
    samples.push(entry);
    if (firstWindowPeak === undefined && entry.t >= FIRST_WINDOW_SECONDS) firstWindowPeak = probes.peakRssMb?.();
    const heap = memory?.(false).then(
      (usage) => {
        entry.heapUsedMb = usage.heapUsed / MB;
        entry.heapTotalMb = usage.heapTotal / MB;
      },
      () => undefined,
    );
    const caches =
      reading % CACHE_SAMPLE_EVERY === 0 || last
        ? cacheBytes?.().then(
            (bytes) => {
              entry.cachesMb = bytes / MB;
            },
            () => undefined,
          )
        : undefined;
    return Promise.all([heap, caches]);
  };
  pending.push(sample());
  const timer = setInterval(() => pending.push(sample()), 1_000);
  let load: LoadResult;
  try {
    load = await runLoad({
      url,
      connections: options.connections,
      durationSeconds: options.seconds,
      maxRequests: 5_000_000,
      nextRequest,
    });
  } finally {
    clearInterval(timer);
  }
  pending.push(sample(true));
  await Promise.all(pending);
  let afterLoad: SoakResult['afterLoad'];
  if (memory) {
    const usage = await memory(true);
    afterLoad = { liveHeapMb: usage.heapUsed / MB, rssMb: rssMb(), heapTotalMb: usage.heapTotal / MB };
  }
  const after = samples.filter((s) => s.t >= options.warmupSeconds).map((s) => ({ x: s.t / 60, y: s.rssMb }));
  const { slope: slopeMbPerMinute, standardError } = fitLine(after);
  return {
    seconds: options.seconds,
    connections: options.connections,
    warmupSeconds: options.warmupSeconds,
    load,
    samples: samples.map((s) => ({
      t: Math.round(s.t * 10) / 10,
      rssMb: Math.round(s.rssMb * 10) / 10,
      ...(s.heapUsedMb !== undefined ? { heapUsedMb: Math.round(s.heapUsedMb * 10) / 10 } : {}),
      ...(s.heapTotalMb !== undefined ? { heapTotalMb: Math.round(s.heapTotalMb * 10) / 10 } : {}),
      ...(s.cachesMb !== undefined ? { cachesMb: Math.round(s.cachesMb * 10) / 10 } : {}),
    })),
    ...(afterLoad ? { afterLoad } : {}),
    peakRssMb: Math.max(...samples.map((s) => s.rssMb), probes.peakRssMb?.() ?? 0),
    peakRssFirstWindowMb: Math.max(
      ...samples.filter((s) => s.t <= FIRST_WINDOW_SECONDS).map((s) => s.rssMb),
      firstWindowPeak ?? (samples.at(-1)!.t < FIRST_WINDOW_SECONDS ? (probes.peakRssMb?.() ?? 0) : 0),
    ),
    slopeMbPerMinute,
    slopeStandardErrorMbPerMinute: standardError,
    flat: Number.isFinite(slopeMbPerMinute) && slopeMbPerMinute <= FLAT_SLOPE_MB_PER_MINUTE,
  };
}
