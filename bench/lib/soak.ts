import { seededRandom } from '../../src/emulator/random.js';
import { type HttpRequestSpec, type LoadResult, graphqlRequest, runLoad } from './load.js';
import { COLD_HEADERS } from './measure.js';
import type { BenchData, Scenario } from './scenarios.js';
import { slope } from './stats.js';

/** Growth (MB per minute, least squares after warm-up) below which RSS counts as flat. See the report's notes. */
export const FLAT_SLOPE_MB_PER_MINUTE = 5;

export interface SoakResult {
  seconds: number;
  connections: number;
  warmupSeconds: number;
  load: LoadResult;
  /** Seconds since the start, RSS and the V8 heap (used, not collected first) in MB, one per second. */
  samples: Array<{ t: number; rssMb: number; heapUsedMb?: number; heapTotalMb?: number }>;
  peakRssMb: number;
  /**
   * The live heap: heapUsed right after a full garbage collection, once the load has stopped (and RSS then). Not
   * sampled during the load, where forced collections would lower the RSS being measured.
   */
  afterLoad?: { liveHeapMb: number; rssMb: number; heapTotalMb: number };
  slopeMbPerMinute: number;
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

export async function soak(
  url: string,
  rssMb: () => number,
  nextRequest: () => HttpRequestSpec,
  options: { seconds: number; connections: number; warmupSeconds: number },
  /** The server's process.memoryUsage(), after a full collection with `gc` (ServerProcess.memory). */
  memory?: (gc: boolean) => Promise<NodeJS.MemoryUsage>,
): Promise<SoakResult> {
  const samples: SoakResult['samples'] = [];
  const started = performance.now();
  const sample = () => {
    const entry: SoakResult['samples'][number] = { t: (performance.now() - started) / 1000, rssMb: rssMb() };
    samples.push(entry);
    memory?.(false).then(
      (usage) => {
        entry.heapUsedMb = usage.heapUsed / MB;
        entry.heapTotalMb = usage.heapTotal / MB;
      },
      () => undefined,
    );
  };
  sample();
  const timer = setInterval(sample, 1_000);
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
  sample();
  let afterLoad: SoakResult['afterLoad'];
  if (memory) {
    const usage = await memory(true);
    afterLoad = { liveHeapMb: usage.heapUsed / MB, rssMb: rssMb(), heapTotalMb: usage.heapTotal / MB };
  }
  const after = samples.filter((s) => s.t >= options.warmupSeconds).map((s) => ({ x: s.t / 60, y: s.rssMb }));
  const slopeMbPerMinute = slope(after);
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
    })),
    ...(afterLoad ? { afterLoad } : {}),
    peakRssMb: Math.max(...samples.map((s) => s.rssMb)),
    slopeMbPerMinute,
    flat: Number.isFinite(slopeMbPerMinute) && slopeMbPerMinute <= FLAT_SLOPE_MB_PER_MINUTE,
  };
}
