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
  /** Seconds since the start, RSS in MB, one per second. */
  samples: Array<{ t: number; rssMb: number }>;
  peakRssMb: number;
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

export async function soak(
  url: string,
  rssMb: () => number,
  nextRequest: () => HttpRequestSpec,
  options: { seconds: number; connections: number; warmupSeconds: number },
): Promise<SoakResult> {
  const samples: Array<{ t: number; rssMb: number }> = [];
  const started = performance.now();
  const sample = () => samples.push({ t: (performance.now() - started) / 1000, rssMb: rssMb() });
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
  const after = samples.filter((s) => s.t >= options.warmupSeconds).map((s) => ({ x: s.t / 60, y: s.rssMb }));
  const slopeMbPerMinute = slope(after);
  return {
    seconds: options.seconds,
    connections: options.connections,
    warmupSeconds: options.warmupSeconds,
    load,
    samples: samples.map((s) => ({ t: Math.round(s.t * 10) / 10, rssMb: Math.round(s.rssMb * 10) / 10 })),
    peakRssMb: Math.max(...samples.map((s) => s.rssMb)),
    slopeMbPerMinute,
    flat: Number.isFinite(slopeMbPerMinute) && slopeMbPerMinute <= FLAT_SLOPE_MB_PER_MINUTE,
  };
}
