import type { GenerateOptions } from '../../src/emulator/index.js';
import type { LoadResult } from './load.js';
import { ROUND_PROBE_MS } from './measure.js';
import type { OperationMinimum } from './minimum.js';
import type { ScenarioId } from './scenarios.js';
import { type CacheSizes, FIRST_WINDOW_SECONDS, FLAT_SLOPE_MB_PER_MINUTE, type SoakResult } from './soak.js';
import type { Implementation } from './targets.js';

export interface ScenarioInfo {
  id: ScenarioId;
  title: string;
  operationFile: string;
  cache: 'cold' | 'warm';
  references: number;
  distinctResources: number;
  /** The fewest AWS calls for this scenario's requests: 0 for a warm cache, else the cold derivation. */
  minimum: number;
  /** The cold derivation, group by group. */
  derivation: OperationMinimum;
}

export interface Measurement {
  scenario: ScenarioId;
  implementation: Implementation;
  awsCalls: number;
  awsCallsByOperation: Record<string, number>;
  latency: LoadResult;
  load: LoadResult;
  awsCallsPerRequestUnderLoad: number;
  /** CPU time of the server process per request during the throughput run, ms (/proc/<pid>/stat). */
  cpuMsPerRequest: number;
  /** Sequential rounds of AWS calls one request takes (measureRounds). */
  rounds: number;
  /** Average cores other processes on the machine used during the throughput run. */
  foreignCpuCores: number;
  peakRssMb: number;
  /** The counted response had data and no errors. */
  ok: boolean;
  errors: string[];
  /** Same `data` as the gateway's response (null for the gateway itself). */
  dataMatchesGateway: boolean | null;
}

export interface Target {
  target: string;
  threshold: string;
  measured: string;
  pass: boolean;
}

/** A soak's slope with its standard error, when the result has one: `0.66 ± 1.12`. */
function slopeText(s: SoakResult): string {
  if (!Number.isFinite(s.slopeMbPerMinute)) return '—';
  const error = s.slopeStandardErrorMbPerMinute;
  return `${s.slopeMbPerMinute.toFixed(2)}${Number.isFinite(error) ? ` ± ${error.toFixed(2)}` : ''}`;
}

export interface SoakMeasurement extends SoakResult {
  /** How the product was started, and the settings the soak gave it beyond the benchmark's own. */
  entry: string;
  settings: Record<string, string>;
  /** The server process's user + system time from /proc over the soak, per response. */
  cpuMsPerRequest: number;
  /** AWS calls the emulator served over the soak, per response: what the caches saved shows here. */
  awsCallsPerRequest: number;
  /** At the end, from /metrics: estimated bytes and entries per in-process cache, and resource-cache evictions. */
  caches: CacheSizes;
  /** The resident set at the end, after the full collection: anonymous (heap, malloc) and file-backed (code). */
  rssAtEnd?: { anonymousMb: number; fileMb: number };
}

export interface BenchResults {
  generatedAt: string;
  mode: 'quick' | 'full';
  environment: { node: string; platform: string; cpus: number; cpuModel: string; commit: string | null };
  settings: {
    latencyMs: number;
    connections: number;
    latencySeconds: number;
    loadSeconds: number;
    soakSeconds: number;
    soakConnections: number;
    soakWarmupSeconds: number;
    data: GenerateOptions;
    dataCounts: Record<string, number>;
    gateway: Record<string, unknown>;
    nodeOptions: string | null;
  };
  scenarios: ScenarioInfo[];
  measurements: Measurement[];
  startup: {
    /** Spawn to first 200 from /healthz, and the cores other processes kept busy meanwhile. */
    product: { entry: string; runsMs: number[]; medianMs: number; foreignCpuCores: number[] };
    servers: Record<string, number>;
  };
  /** The product under the soak with default settings, and the same soak with unbounded caches. */
  soak: SoakMeasurement | null;
  soakUnbounded?: SoakMeasurement | null;
  /** The default soak again after the unbounded one: the comparison takes the mean of the two default runs. */
  soakRepeat?: SoakMeasurement | null;
  targets: Target[];
}

const IMPLEMENTATION_NAMES: Record<Implementation, string> = {
  gateway: 'gateway',
  naive: 'naive baseline',
  ceiling: 'ceiling (from memory)',
};

const MB = 1024 * 1024;
const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');
const ratio = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : '—');
const int = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—');
const passText = (pass: boolean) => (pass ? 'PASS' : '**FAIL**');
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function find(results: BenchResults, scenario: ScenarioId, implementation: Implementation): Measurement | undefined {
  return results.measurements.find((m) => m.scenario === scenario && m.implementation === implementation);
}

/** The issue's targets, each compared with what this run measured. */
export function evaluateTargets(results: Omit<BenchResults, 'targets'>): Target[] {
  const r = results as BenchResults;
  const latencyMs = results.settings.latencyMs;
  const targets: Target[] = [];
  const cold = find(r, 'dashboard-cold', 'gateway');
  const coldNaive = find(r, 'dashboard-cold', 'naive');
  const minimum = results.scenarios.find((s) => s.id === 'dashboard-cold')?.minimum ?? Number.NaN;
  if (cold && coldNaive) {
    targets.push({
      target: 'Dashboard cold: AWS calls at most 1/4 of the naive baseline',
      threshold: `<= ${(coldNaive.awsCalls / 4).toFixed(2)} (naive ${coldNaive.awsCalls} / 4)`,
      measured: `${cold.awsCalls}`,
      pass: cold.awsCalls <= coldNaive.awsCalls / 4,
    });
  }
  if (cold) {
    targets.push({
      target: 'Dashboard cold: AWS calls equal the derived minimum',
      threshold: `== ${minimum}`,
      measured: `${cold.awsCalls}`,
      pass: cold.awsCalls === minimum,
    });
    const limit = 3 * latencyMs + 15;
    targets.push({
      target: 'Dashboard cold: p50 latency at most 3 x call latency + 15 ms (one connection)',
      threshold: `<= ${limit} ms`,
      measured: `${ms(cold.latency.p50)} ms`,
      pass: cold.latency.p50 <= limit,
    });
  }
  const warm = find(r, 'dashboard-warm', 'gateway');
  const warmCeiling = find(r, 'dashboard-warm', 'ceiling');
  if (warm && warmCeiling) {
    targets.push({
      target: `Dashboard warm: throughput at least 0.8 x the ceiling's (${results.settings.connections} connections)`,
      threshold: `>= ${int(0.8 * warmCeiling.load.requestsPerSecond)} req/s`,
      measured: `${int(warm.load.requestsPerSecond)} req/s (${ratio(warm.load.requestsPerSecond / warmCeiling.load.requestsPerSecond)})`,
      pass: warm.load.requestsPerSecond >= 0.8 * warmCeiling.load.requestsPerSecond,
    });
    targets.push({
      target: `Dashboard warm: p99 at most 2 x the ceiling's (${results.settings.connections} connections)`,
      threshold: `<= ${ms(2 * warmCeiling.load.p99)} ms`,
      measured: `${ms(warm.load.p99)} ms (${ratio(warm.load.p99 / warmCeiling.load.p99)})`,
      pass: warm.load.p99 <= 2 * warmCeiling.load.p99,
    });
  }
  const single = find(r, 'single-lookup', 'gateway');
  const singleNaive = find(r, 'single-lookup', 'naive');
  if (single) {
    const overhead = single.latency.p50 - latencyMs;
    // The naive baseline makes the same one call through the same SDK and emulator: its overhead is the part the
    // gateway cannot remove, the difference is the gateway's own.
    const naiveText = singleNaive
      ? `; naive baseline ${ms(singleNaive.latency.p50 - latencyMs)} ms, so the gateway's own share is ${ms(single.latency.p50 - singleNaive.latency.p50)} ms`
      : '';
    targets.push({
      target: 'Single lookup cold: p50 overhead over the call latency at most 3 ms (one connection)',
      threshold: '<= 3 ms',
      measured: `${ms(overhead)} ms (p50 ${ms(single.latency.p50)} ms - ${latencyMs} ms${naiveText})`,
      pass: overhead <= 3,
    });
  }
  for (const id of ['single-lookup', 'list-page'] as const) {
    const g = find(r, id, 'gateway');
    const n = find(r, id, 'naive');
    if (!g || !n) continue;
    const title = results.scenarios.find((x) => x.id === id)?.title ?? id;
    const connections = results.settings.connections;
    targets.push({
      target: `${title}: throughput at least 0.9 x the naive baseline's (${connections} connections)`,
      threshold: `>= ${int(0.9 * n.load.requestsPerSecond)} req/s`,
      measured: `${int(g.load.requestsPerSecond)} req/s (${ratio(g.load.requestsPerSecond / n.load.requestsPerSecond)})`,
      pass: g.load.requestsPerSecond >= 0.9 * n.load.requestsPerSecond,
    });
    targets.push({
      target: `${title}: server CPU per request at most the naive baseline's + 0.3 ms (/proc, ${connections} connections)`,
      threshold: `<= ${(n.cpuMsPerRequest + 0.3).toFixed(2)} ms`,
      measured: `${g.cpuMsPerRequest.toFixed(2)} ms (naive ${n.cpuMsPerRequest.toFixed(2)} ms)`,
      pass: g.cpuMsPerRequest <= n.cpuMsPerRequest + 0.3,
    });
  }
  for (const id of ['entities-nodes', 'entities-federation'] as const) {
    const g = find(r, id, 'gateway');
    const n = find(r, id, 'naive');
    if (!g || !n) continue;
    const title = results.scenarios.find((x) => x.id === id)?.title ?? id;
    targets.push({
      target: `${title}: AWS calls at most 0.6 x the naive baseline's`,
      threshold: `<= ${(0.6 * n.awsCalls).toFixed(1)} (naive ${n.awsCalls})`,
      measured: `${g.awsCalls} (${ratio(g.awsCalls / n.awsCalls)}; ${plural(g.rounds, 'sequential round')})`,
      pass: g.awsCalls <= 0.6 * n.awsCalls,
    });
    targets.push({
      target: `${title}: p50 at most the naive baseline's + one call latency (one connection)`,
      threshold: `<= ${ms(n.latency.p50 + latencyMs)} ms`,
      measured: `${ms(g.latency.p50)} ms (naive ${ms(n.latency.p50)} ms)`,
      pass: g.latency.p50 <= n.latency.p50 + latencyMs,
    });
  }
  if (results.soak) {
    const s = results.soak;
    targets.push({
      target: `RSS at most 250 MB over ${s.seconds} s at ${s.connections} connections from start-up${s.seconds > FIRST_WINDOW_SECONDS ? ` (and over its first ${FIRST_WINDOW_SECONDS} s)` : ''}`,
      threshold: '<= 250 MB',
      measured: `peak ${s.peakRssMb.toFixed(1)} MB${s.seconds > FIRST_WINDOW_SECONDS ? ` (${s.peakRssFirstWindowMb.toFixed(1)} MB in the first ${FIRST_WINDOW_SECONDS} s)` : ''}${s.afterLoad ? `; live heap after GC ${s.afterLoad.liveHeapMb.toFixed(1)} MB` : ''}`,
      pass: s.peakRssMb <= 250 && s.peakRssFirstWindowMb <= 250,
    });
    targets.push({
      target: `RSS flat after ${s.warmupSeconds} s of warm-up${r.mode === 'quick' ? ' (quick mode: too short to judge, see a full run)' : ''}`,
      threshold: `slope <= ${FLAT_SLOPE_MB_PER_MINUTE} MB/min`,
      measured: `${slopeText(s)} MB/min`,
      pass: s.flat,
    });
    const u = r.soakUnbounded;
    if (u) {
      const defaults = [s, ...(r.soakRepeat ? [r.soakRepeat] : [])];
      const rate = defaults.reduce((sum, d) => sum + d.load.requestsPerSecond, 0) / defaults.length;
      const loss = 1 - rate / u.load.requestsPerSecond;
      targets.push({
        target: `Soak throughput with default cache bounds against the same soak with unbounded caches${defaults.length > 1 ? ' (default: mean of the runs before and after)' : ''}`,
        threshold: 'loss <= 5 %',
        measured: `${int(rate)} (${defaults.map((d) => int(d.load.requestsPerSecond)).join(', ')}) vs ${int(u.load.requestsPerSecond)} req/s (${loss >= 0 ? `${(loss * 100).toFixed(1)} % lower` : `${(-loss * 100).toFixed(1)} % higher`}; resource-cache evictions ${defaults.map((d) => int(d.caches.evictions)).join(', ')} vs ${int(u.caches.evictions)}; response-cache evictions ${defaults.map((d) => int(d.caches.responseEvictions ?? Number.NaN)).join(', ')} vs ${int(u.caches.responseEvictions ?? Number.NaN)})`,
        pass: loss <= 0.05,
      });
    }
  }
  const startup = results.startup.product;
  if (startup.runsMs.length)
    targets.push({
      target: `Startup to ready (${startup.entry}; spawn to first 200 from /healthz)`,
      threshold: '<= 1500 ms',
      measured: `${int(startup.medianMs)} ms${startup.runsMs.length > 1 ? ` (median of ${startup.runsMs.length})` : ''}`,
      pass: startup.medianMs <= 1500,
    });
  return targets;
}

export function renderMarkdown(results: BenchResults): string {
  const { settings } = results;
  const out: string[] = [];
  out.push('# Benchmark results', '');
  out.push(
    `${results.mode === 'quick' ? 'Quick' : 'Full'} run of ${results.generatedAt} on ${results.environment.cpus} x ${results.environment.cpuModel}, Node ${results.environment.node}` +
      `${results.environment.commit ? `, commit ${results.environment.commit.slice(0, 12)}` : ''}. ` +
      `Emulated AWS call latency ${settings.latencyMs} ms. Data: ${Object.entries(settings.dataCounts)
        .map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`)
        .join(
          ', ',
        )}. Latency runs: 1 connection, ${settings.latencySeconds} s; throughput runs: ${settings.connections} connections, ${settings.loadSeconds} s.`,
    '',
  );

  const foreign = results.measurements.map((m) => m.foreignCpuCores).filter(Number.isFinite);
  if (foreign.length) {
    const mean = foreign.reduce((a, b) => a + b, 0) / foreign.length;
    out.push(
      `Other processes on this machine kept on average ${mean.toFixed(2)} of its ${results.environment.cpus} cores busy during the throughput runs (at most ${Math.max(...foreign).toFixed(2)}); ` +
        'they slow every implementation alike, so ratios hold better than absolute numbers.',
      '',
    );
  }

  out.push('## Targets', '', '| target | threshold | measured | result |', '|---|---|---|---|');
  for (const t of results.targets) out.push(`| ${t.target} | ${t.threshold} | ${t.measured} | ${passText(t.pass)} |`);
  out.push('');

  out.push('## Scenarios', '');
  out.push(
    `AWS calls: one request, counted by the emulator. Rounds: sequential rounds of AWS calls one request takes (its one-connection latency, fastest of 3, rises by ${ROUND_PROBE_MS} ms per round when ${ROUND_PROBE_MS} ms are added to every call). p50/p99: one connection (the operation's own latency). req/s, p99 and CPU ms/req @${settings.connections}: ${settings.connections} connections; CPU is the server process's user + system time from /proc/<pid>/stat over the run, per response. ` +
      "Peak RSS: the server process's highest resident set during that scenario's runs (Node rarely returns memory, so it also carries what earlier scenarios grew). Ratios: gateway / baseline.",
    '',
  );
  out.push(
    `| scenario | implementation | AWS calls | minimum | rounds | p50 ms | p99 ms | req/s @${settings.connections} | p99 ms @${settings.connections} | CPU ms/req @${settings.connections} | peak RSS MB | calls vs naive | p50 vs naive | req/s vs naive | req/s vs ceiling | p99@${settings.connections} vs ceiling |`,
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
  );
  for (const scenario of results.scenarios) {
    const naive = find(results, scenario.id, 'naive');
    const ceiling = find(results, scenario.id, 'ceiling');
    for (const implementation of ['gateway', 'naive', 'ceiling'] as const) {
      const m = find(results, scenario.id, implementation);
      if (!m) continue;
      const flags = [!m.ok ? ' (errors!)' : '', m.dataMatchesGateway === false ? ' (data differs!)' : ''].join('');
      const isGateway = implementation === 'gateway';
      const callsCell =
        implementation === 'ceiling'
          ? '0'
          : `${m.awsCalls}${isGateway && m.awsCalls !== scenario.minimum ? ' ≠ min' : ''}`;
      out.push(
        `| ${scenario.title} | ${IMPLEMENTATION_NAMES[implementation]}${flags} | ${callsCell} | ${implementation === 'ceiling' ? '—' : scenario.minimum} | ${m.rounds ?? '—'} | ${ms(m.latency.p50)} | ${ms(m.latency.p99)} | ${m.load.requests ? int(m.load.requestsPerSecond) : '— (none in window)'} | ${ms(m.load.p99)} | ${Number.isFinite(m.cpuMsPerRequest) ? m.cpuMsPerRequest.toFixed(2) : '—'} | ${m.peakRssMb.toFixed(0)} | ` +
          `${isGateway && naive ? ratio(m.awsCalls / naive.awsCalls) : '—'} | ${isGateway && naive ? ratio(m.latency.p50 / naive.latency.p50) : '—'} | ${isGateway && naive ? ratio(m.load.requestsPerSecond / naive.load.requestsPerSecond) : '—'} | ` +
          `${implementation !== 'ceiling' && ceiling ? ratio(m.load.requestsPerSecond / ceiling.load.requestsPerSecond) : '—'} | ${implementation !== 'ceiling' && ceiling ? ratio(m.load.p99 / ceiling.load.p99) : '—'} |`,
      );
    }
  }
  out.push('');

  const failures = results.measurements.filter(
    (m) =>
      Object.values(m.load.failures).some((n) => n > 0) ||
      Object.values(m.latency.failures).some((n) => n > 0) ||
      !m.ok,
  );
  if (failures.length) {
    out.push('### Failed requests', '');
    for (const m of failures) {
      out.push(
        `- ${m.scenario} / ${m.implementation}: latency run ${JSON.stringify(m.latency.failures)}, throughput run ${JSON.stringify(m.load.failures)}${m.errors.length ? `; errors: ${m.errors.slice(0, 3).join('; ')}` : ''}`,
      );
    }
    out.push('');
  }

  out.push('## AWS calls by operation', '');
  out.push('| scenario | gateway | minimum | naive |', '|---|---|---|---|');
  for (const scenario of results.scenarios) {
    const fmt = (calls: Record<string, number> | undefined) =>
      calls && Object.keys(calls).length
        ? Object.entries(calls)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([op, n]) => `${op.slice(op.indexOf(':') + 1)} ${n}`)
            .join(', ')
        : '—';
    const minimum = scenario.cache === 'warm' ? {} : scenario.derivation.byOperation;
    out.push(
      `| ${scenario.title} | ${fmt(find(results, scenario.id, 'gateway')?.awsCallsByOperation)} | ${fmt(minimum)} | ${fmt(find(results, scenario.id, 'naive')?.awsCallsByOperation)} |`,
    );
  }
  out.push('');

  out.push('## How the minimum is derived', '');
  out.push(
    'None of the three services has a batch Get, so every resource costs one Get/Describe unless a list call answers it. A list page (at most 100 items) ' +
      'can only be read in order from the first page, and its summaries lack some fields (event streams: `createdAt`, the destination message; event trackers: ' +
      '`trackingId`, `accountId`, `datasetGroupArn`; dataset groups have no list the gateway may call). So, per group of keys one list covers ' +
      "(a domain's event streams, a region's event trackers, the internet events), the fewest calls are " +
      '`|keys needing details| + min over k of (k + |summary-only keys on list page k+1 or later|)`, k = 0 meaning "Get each one". ' +
      'Nested dataset groups cost one Describe per distinct group. Duplicates count once. Page positions come from walking each list through the emulator before the run. ' +
      'A warm cache needs no call at all.',
    '',
  );
  for (const scenario of results.scenarios) {
    if (scenario.cache === 'warm') continue;
    out.push(
      `**${scenario.title}** (\`bench/operations/${scenario.operationFile}\`): ${plural(scenario.references, 'resource reference')}, ${plural(scenario.distinctResources, 'distinct resource')}, minimum ${scenario.minimum}.`,
      '',
    );
    for (const g of scenario.derivation.groups) out.push(`- ${g.label}: ${g.explanation}`);
    out.push('');
  }

  if (results.soak) {
    out.push('## Memory over time', '');
    const soaks: Array<[string, SoakMeasurement]> = [['Default settings', results.soak]];
    if (results.soakUnbounded) soaks.push(['Unbounded caches', results.soakUnbounded]);
    if (results.soakRepeat) soaks.push(['Default settings, again', results.soakRepeat]);
    const first = results.soak;
    out.push(
      `The product (\`${first.entry}\`, as \`npm start\` runs it, with the benchmark's settings above), fresh, ${first.seconds} s at ${first.connections} connections (the first ${FIRST_WINDOW_SECONDS} s are a soak from start-up of their own: their peak is reported apart) on a mix of single lookups and \`nodes\` batches over random resources of the whole data set, list pages of random domains and the dashboard (warm and cold). ` +
        `Slope: least squares over one RSS sample per second after ${first.warmupSeconds} s of warm-up, in which the caches fill (their samples below show how far) ("flat" means at most ${FLAT_SLOPE_MB_PER_MINUTE} MB/min); ± is the slope's standard error, what the scatter of the samples around their line (the GC's saw-tooth) alone makes of it. CPU: the process's user + system time from /proc over the soak, per response. ` +
        'The second soak is the same with the caches unbounded (nothing evicted), for what the bounds cost in throughput; the third repeats the first, so that drift over the runs weighs on both sides of that comparison.',
      '',
      `| soak | settings | requests | req/s | p99 ms | CPU ms/req | AWS calls/req | peak RSS MB | peak RSS MB, first ${FIRST_WINDOW_SECONDS} s | slope MB/min | live heap after GC MB | heap total MB |`,
      '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
      ...soaks.map(
        ([label, s]) =>
          `| ${label} | ${
            Object.entries(s.settings)
              .map(([k, v]) => `${k}=${v}`)
              .join(' ') || "none beyond the benchmark's"
          } | ${int(s.load.requests)} | ${int(s.load.requestsPerSecond)} | ${ms(s.load.p99)} | ${s.cpuMsPerRequest.toFixed(2)} | ${s.awsCallsPerRequest.toFixed(2)} | ${s.peakRssMb.toFixed(1)} | ${s.peakRssFirstWindowMb.toFixed(1)} | ${slopeText(s)} | ${s.afterLoad ? s.afterLoad.liveHeapMb.toFixed(1) : '—'} | ${s.afterLoad ? s.afterLoad.heapTotalMb.toFixed(1) : '—'} |`,
      ),
      '',
    );
    for (const [label, s] of soaks) {
      out.push(
        `${label}, RSS (MB, one sample per second): ${s.samples.map((x) => x.rssMb.toFixed(0)).join(' ')}`,
        '',
        `${label}, V8 heap used, not collected first (MB, the same seconds): ${s.samples.map((x) => (x.heapUsedMb !== undefined ? x.heapUsedMb.toFixed(0) : '—')).join(' ')}`,
        '',
        ...(s.samples.some((x) => x.cachesMb !== undefined)
          ? [
              `${label}, what the caches hold (estimated MB, from their gauges; second: MB): ${s.samples
                .filter((x) => x.cachesMb !== undefined)
                .map((x) => `${Math.round(x.t)}: ${x.cachesMb!.toFixed(1)}`)
                .join(', ')}`,
              '',
            ]
          : []),
      );
    }
    for (const [label, s] of soaks) {
      out.push(
        `${label}, the caches at the end (estimated bytes, entries; from /metrics): ${Object.entries(s.caches.held)
          .map(([name, c]) => `${name} ${(c.bytes / MB).toFixed(1)} MB in ${int(c.entries)}`)
          .join(
            ', ',
          )}; resource-cache evictions ${int(s.caches.evictions)}, response-cache evictions ${s.caches.responseEvictions === undefined ? 'not counted' : int(s.caches.responseEvictions)}${s.caches.responseFirstSightings === undefined ? '' : `, responses not kept on their first sighting ${int(s.caches.responseFirstSightings)}`}.${s.rssAtEnd ? ` Resident set then: ${s.rssAtEnd.anonymousMb.toFixed(1)} MB anonymous (V8 heap, malloc, stacks), ${s.rssAtEnd.fileMb.toFixed(1)} MB file-backed (the node binary and libraries).` : ''}`,
        '',
      );
    }
    out.push(
      'Live heap: heapUsed after a full garbage collection once the load has stopped (not during it, where forced collections would lower the RSS being measured).',
      '',
    );
  }

  if (results.startup.product.runsMs.length) {
    out.push('## Startup', '');
    const product = results.startup.product;
    out.push(
      `- Product (${product.entry}): ${product.runsMs.map((v, i) => `${int(v)} ms${Number.isFinite(product.foreignCpuCores[i]) ? ` (other processes: ${product.foreignCpuCores[i]!.toFixed(2)} cores)` : ''}`).join(', ')}`,
    );
    for (const [kind, value] of Object.entries(results.startup.servers))
      out.push(`- \`bench/serve.ts ${kind}\` (under tsx): ${int(value)} ms`);
    out.push('');
  }

  out.push('## Notes', '');
  out.push(
    "- Each server runs in its own process (`bench/serve.ts`), the emulator in another, the load generator (autocannon, in the benchmark process) in a third; all on 127.0.0.1, sharing this machine's CPUs.",
    '- Cold requests carry `Cache-Control: no-cache`: the gateway skips cache reads (and joining in-flight calls) but still batches and dedupes within the request. Warm runs send one priming request first, then no header.',
    '- The naive baseline (`bench/naive/`) serves the same SDL with resolvers that call the SDK per field: no DataLoader, no cache, one Get/Describe per resolver call, List calls per connection field.',
    "- The ceiling (`bench/ceiling/`) executes the same operations against the same schema, with every value read from the gateway's own responses held in memory: GraphQL parsing, validation, execution and serialisation remain, AWS is gone.",
    "- Latency percentiles come from every response's own timing (autocannon's per-response duration, sub-millisecond). Each run starts with an unmeasured warm-up at the same concurrency " +
      `(${results.mode === 'quick' ? '0.2 s at one connection, 0.5 s' : '1 s at one connection, 2 s'} at ${settings.connections}); req/s counts the responses completed after it, over the time to the last one.`,
    '- Before each count and each run the benchmark waits until the emulator has served no call for 200 ms, so requests a previous run left in flight are not counted against the next.',
    `- The gateway runs with ${
      Object.entries((settings.gateway.overrides as Record<string, string> | undefined) ?? {})
        .map(([k, v]) => (k.includes('SECRET') ? `${k} (a fixed benchmark key)` : `${k}=${v}`))
        .join(', ') || 'its defaults'
    }: the load generator is one caller, so per-caller limits (requests, AWS calls, \`no-cache\` requests) would measure the limiters, and beyond its \`no-cache\` quota a cold request would be answered from the caches; the naive baseline signs cursors with the same key, so that their answers compare equal; the query limits are the defaults.`,
    "- Startup is timed on the product entry (`npm start`'s command, built by `npm run build`), from spawn to the first 200 from /healthz; the `bench/serve.ts` times include transpiling under tsx and are for information.",
  );
  out.push('');
  return out.join('\n');
}
