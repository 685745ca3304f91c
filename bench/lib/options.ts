import { z } from 'zod';
import { flagsToEnv } from '../../src/config.js';
import type { GenerateOptions } from '../../src/emulator/index.js';

/**
 * Benchmark settings, read like the gateway's own: `BENCH_LATENCY_MS=50` or `--latency-ms 50` (flags win,
 * `BENCH_` is implied for flags; a value starting with `--` needs the `--flag=value` form). Quick mode shortens every
 * timed phase and leaves out the optional `_entities` scenario, never changes the data, so its AWS call counts equal
 * a full run's.
 */

/**
 * The soak's length and warm-up. The caches fill for most of the first minute at this mix's rate (the report
 * samples them), so the slope is taken over the 90 s after it: a window that long keeps the noise of the GC's
 * saw-tooth (about +-5 MB a second) well under the 5 MB/min a flat line allows.
 */
export const SOAK_SECONDS = 150;
export const SOAK_WARMUP_SECONDS = 60;

const positiveInt = z.coerce.number().int().min(1);
const seconds = z.coerce.number().min(0.2).max(600);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const BenchEnv = z.object({
  BENCH_QUICK: bool.default(false),
  /** Added by the emulator to every AWS call. */
  BENCH_LATENCY_MS: z.coerce.number().int().min(0).max(10_000).default(25),
  /** Fixed concurrency of the throughput runs. */
  BENCH_CONNECTIONS: positiveInt.max(1024).default(32),
  /** Length of each latency run (one connection) and each throughput run. */
  BENCH_LATENCY_SECONDS: seconds.optional(),
  BENCH_LOAD_SECONDS: seconds.optional(),
  /** The RSS soak: duration, concurrency and the warm-up excluded from the slope. */
  BENCH_SOAK_SECONDS: seconds.optional(),
  BENCH_SOAK_CONNECTIONS: positiveInt.max(1024).default(64),
  BENCH_SOAK_WARMUP_SECONDS: seconds.optional(),
  /** Seed of the generated data (the same seed always gives the same data and the same scenarios). */
  BENCH_SEED: z.coerce.number().int().default(1),
  BENCH_OUT_DIR: z.string().min(1).default('bench/results'),
  /** `soak`: only the two soaks (bench/results/soak.md), not the scenarios; for working on memory. */
  BENCH_ONLY: z.enum(['all', 'soak']).default('all'),
  /** With `--only soak`: the data set this many times larger (domains, dataset groups, internet events), so the caches fill to their bounds. */
  BENCH_SOAK_SCALE: positiveInt.max(16).default(1),
  /** Node flags for the three servers under test alike, e.g. `--max-old-space-size=192` or `--cpu-prof`. */
  BENCH_NODE_OPTIONS: z.string().optional(),
});

export interface BenchOptions {
  quick: boolean;
  latencyMs: number;
  connections: number;
  latencySeconds: number;
  latencyWarmupSeconds: number;
  /** Requests per latency run, at most (the run stops at whichever bound comes first). */
  latencyMaxRequests: number;
  loadSeconds: number;
  loadWarmupSeconds: number;
  loadMaxRequests: number;
  soakSeconds: number;
  soakConnections: number;
  soakWarmupSeconds: number;
  startupRuns: number;
  outDir: string;
  only: 'all' | 'soak';
  /** BENCH_SOAK_SCALE: how many times the default data set (1 unless `--only soak`). */
  soakScale: number;
  nodeOptions?: string;
  data: GenerateOptions;
}

export function readBenchOptions(
  env: Record<string, string | undefined> = process.env,
  argv: readonly string[] = [],
): BenchOptions {
  const flags = Object.fromEntries(
    Object.entries(flagsToEnv(argv)).map(([k, v]) => [k.startsWith('BENCH_') ? k : `BENCH_${k}`, v]),
  );
  const unknown = Object.keys(flags).filter((k) => !(k in BenchEnv.shape));
  if (unknown.length) {
    const known = Object.keys(BenchEnv.shape).map(
      (k) => `--${k.slice('BENCH_'.length).toLowerCase().replace(/_/g, '-')}`,
    );
    throw new Error(
      `Unknown benchmark flag${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `--${k.slice(6).toLowerCase().replace(/_/g, '-')}`).join(', ')}; known: ${known.join(', ')}`,
    );
  }
  const merged = { ...env, ...flags };
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  const parsed = BenchEnv.safeParse(merged);
  if (!parsed.success) {
    throw new Error(
      `Invalid benchmark settings:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  const e = parsed.data;
  if (e.BENCH_SOAK_SCALE !== 1 && e.BENCH_ONLY !== 'soak')
    throw new Error(
      '--soak-scale changes the data set, so it needs --only soak (the scenarios are derived for the default data)',
    );
  const quick = e.BENCH_QUICK;
  const soakSeconds = e.BENCH_SOAK_SECONDS ?? (quick ? 10 : SOAK_SECONDS);
  return {
    quick,
    latencyMs: e.BENCH_LATENCY_MS,
    connections: e.BENCH_CONNECTIONS,
    latencySeconds: e.BENCH_LATENCY_SECONDS ?? (quick ? 0.8 : 5),
    latencyWarmupSeconds: quick ? 0.2 : 1,
    latencyMaxRequests: quick ? 400 : 5_000,
    loadSeconds: e.BENCH_LOAD_SECONDS ?? (quick ? 1.5 : 10),
    loadWarmupSeconds: quick ? 0.5 : 2,
    loadMaxRequests: quick ? 50_000 : 500_000,
    soakSeconds,
    soakConnections: e.BENCH_SOAK_CONNECTIONS,
    soakWarmupSeconds: Math.min(e.BENCH_SOAK_WARMUP_SECONDS ?? (quick ? 3 : SOAK_WARMUP_SECONDS), soakSeconds / 2),
    startupRuns: quick ? 1 : 3,
    outDir: e.BENCH_OUT_DIR,
    only: e.BENCH_ONLY,
    soakScale: e.BENCH_SOAK_SCALE,
    nodeOptions: e.BENCH_NODE_OPTIONS,
    data: benchData(e.BENCH_SEED, e.BENCH_SOAK_SCALE),
  };
}

/**
 * Thousands of resources across several regions. Domains stay under 100 streams so one ListEventStreams page covers
 * a domain: the dashboard's stream minimum is then one call per domain, whichever streams it names.
 */
export function benchData(seed: number, scale = 1): GenerateOptions {
  return {
    seed,
    regions: 4,
    domainsPerRegion: 25 * scale,
    streamsPerDomain: 40,
    datasetGroupsPerRegion: 600 * scale,
    internetEvents: 3_000 * scale,
  };
}
