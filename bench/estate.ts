import { mkdirSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config.js';
import { type FixturesDocument, startEmulator } from '../src/emulator/index.js';
import { startGateway } from '../src/server.js';
import { median } from './lib/stats.js';

/**
 * `npm run bench:estate`: a dashboard over 2 accounts × 3 regions against the emulator (in this process, with an
 * emulated call latency and one slower region), next to the same dashboard over one scope, the slowest. It checks
 * what the estate promises: AWS calls equal to the minimum the question needs (derived below from the data), and a
 * latency bounded by the slowest scope, not the sum of the scopes (the ratio of the two medians). Writes
 * bench/results/estate.json and estate.md. `BENCH_ESTATE_ITERATIONS` (default 30) sets the runs per dashboard;
 * test/bench/estate-bench.test.ts runs it once, for its call counts.
 */

const ACCOUNTS = ['111111111111', '222222222222'] as const;
const ROLE = 'DashboardReader';
const REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2'] as const;
const SLOW_REGION = 'us-west-2';
/** Emulated latency of every call, and the extra of the slow region. */
const LATENCY_MS = 15;
const SLOW_EXTRA_MS = 30;
const DOMAINS_PER_SCOPE = 2;
const STREAMS_PER_DOMAIN = 3;
const GROUPS_PER_SCOPE = 2;

const log = (message: string) => process.stderr.write(`[bench:estate] ${message}\n`);

function regional(account: string, region: string) {
  const kinesis = (name: string) => `arn:aws:kinesis:${region}:${account}:stream/${name}`;
  const domains = Array.from({ length: DOMAINS_PER_SCOPE }, (_, d) => ({
    DomainName: `domain-${d}`,
    CreatedAt: '2024-01-01T00:00:00Z',
    eventStreams: Array.from({ length: STREAMS_PER_DOMAIN }, (_, s) => ({
      EventStreamName: `stream-${s}`,
      CreatedAt: '2024-03-01T12:00:00Z',
      State: 'RUNNING',
      // The first stream of each domain is unhealthy.
      DestinationDetails: { Uri: kinesis(`kds-${d}-${s}`), Status: s === 0 ? 'UNHEALTHY' : 'HEALTHY' },
    })),
  }));
  const streams = domains.flatMap((domain, d) =>
    domain.eventStreams.map((_, s) => ({
      StreamName: `kds-${d}-${s}`,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      RetentionPeriodHours: 24,
      StreamCreationTimestamp: '2024-02-01T00:00:00Z',
      EncryptionType: 'NONE',
      OpenShardCount: 2,
      ConsumerCount: 0,
    })),
  );
  const groups = Array.from({ length: GROUPS_PER_SCOPE }, (_, g) => `group-${g}`);
  return {
    customerProfiles: { domains },
    personalize: {
      datasetGroups: groups.map((name) => ({ name, status: 'ACTIVE', creationDateTime: '2024-01-10T10:00:00Z' })),
      eventTrackers: groups.map((name) => ({
        name: `${name}-tracker`,
        datasetGroupArn: `arn:aws:personalize:${region}:${account}:dataset-group/${name}`,
        status: 'ACTIVE',
        creationDateTime: '2024-01-10T11:00:00Z',
      })),
    },
    kinesis: { streams },
  };
}

function fixtures(): FixturesDocument {
  const account = (id: string) => ({ regions: Object.fromEntries(REGIONS.map((r) => [r, regional(id, r)])) });
  const [own, member] = ACCOUNTS;
  return { accounts: { [own]: account(own), [member]: { ...account(member), roles: [ROLE] } } } as FixturesDocument;
}

/** The dashboard: domains, dataset groups with their trackers, and the unhealthy streams with their Kinesis streams. */
function dashboard(scope: string): string {
  return `{
    domains(${scope}, first: 100) { nodes { accountId region name } }
    datasetGroups(${scope}, first: 100) { nodes { accountId region name eventTrackers { nodes { name status } } } }
    eventStreams(${scope}, destinationStatus: UNHEALTHY, first: 100) {
      nodes { accountId region domainName name destination { kinesisStream { status openShardCount } } }
    }
  }`;
}

/**
 * The fewest AWS calls the dashboard can be answered with, per scope: one ListDomains (read once for both fields
 * that need it), one ListEventStreams per domain, one DescribeStreamSummary per unhealthy stream, one
 * ListDatasetGroups, and one ListEventTrackers per dataset group (list summaries of all trackers do not say which
 * group each belongs to).
 */
function minimumCalls(scopes: number): Record<string, number> {
  return {
    'profile:ListDomains': scopes,
    'profile:ListEventStreams': scopes * DOMAINS_PER_SCOPE,
    'kinesis:DescribeStreamSummary': scopes * DOMAINS_PER_SCOPE,
    'personalize:ListDatasetGroups': scopes,
    'personalize:ListEventTrackers': scopes * GROUPS_PER_SCOPE,
  };
}

const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);

export interface EstateBenchResults {
  scopes: number;
  iterations: number;
  awsCalls: { measured: Record<string, number>; minimum: Record<string, number>; total: number; minimumTotal: number };
  p50Ms: { estate: number; oneScope: number; perScope: Record<string, number>; sumOfScopes: number };
  ratio: number;
  ratioToSum: number;
}

/** Runs the estate dashboard `iterations` times (and each scope alone); `write` keeps the results in bench/results. */
export async function runEstateBench(options: { iterations: number; write: boolean }): Promise<EstateBenchResults> {
  const { iterations } = options;
  const emulator = await startEmulator({
    port: 0,
    fixtures: fixtures(),
    faults: { latencyMs: LATENCY_MS, rules: [{ region: SLOW_REGION, latencyMs: SLOW_EXTRA_MS }] },
  });
  const [own, member] = ACCOUNTS;
  const base = loadConfig('gateway', {
    PORT: '0',
    LOG_LEVEL: 'silent',
    AWS_REGION: SLOW_REGION,
    ALLOWED_REGIONS: REGIONS.join(','),
    AWS_ACCOUNTS: `${member}=arn:aws:iam::${member}:role/${ROLE}`,
    // Every dashboard is cold: the figures are AWS's, not the caches'.
    CACHE_STORE: 'none',
    RESPONSE_CACHE_MAX_BYTES: '0',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const config = {
    ...base,
    aws: { ...base.aws, endpointUrl: emulator.url, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
  };
  const gateway = await startGateway(config);
  const run = async (query: string) => {
    const started = performance.now();
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const body = (await res.json()) as { errors?: unknown[]; data?: Record<string, { nodes: unknown[] }> };
    if (body.errors) throw new Error(`the dashboard failed: ${JSON.stringify(body.errors)}`);
    return { ms: performance.now() - started, body };
  };
  try {
    const estate = dashboard('accounts: ["*"], regions: ["*"]');
    const oneScope = dashboard(`accounts: ["${own}"], regions: ["${SLOW_REGION}"]`);
    // Warm-up: the member role is assumed once, connections are open.
    await run(estate);
    await run(oneScope);
    emulator.resetStats();
    const first = await run(estate);
    const calls = { ...emulator.stats().calls };
    const scopes = ACCOUNTS.length * REGIONS.length;
    const minimum = minimumCalls(scopes);
    const streams = first.body.data?.eventStreams?.nodes.length ?? 0;
    log(`estate dashboard: ${total(calls)} AWS calls (minimum ${total(minimum)}), ${streams} unhealthy streams`);
    const timings = { estate: [] as number[], oneScope: [] as number[] };
    for (let i = 0; i < iterations; i++) {
      timings.estate.push((await run(estate)).ms);
      timings.oneScope.push((await run(oneScope)).ms);
    }
    // Each scope alone: what reading them one after another would add up to.
    const perScope: Record<string, number> = {};
    for (const account of ACCOUNTS) {
      for (const region of REGIONS) {
        const query = dashboard(`accounts: ["${account}"], regions: ["${region}"]`);
        const runs: number[] = [];
        for (let i = 0; i < Math.max(3, Math.ceil(iterations / 3)); i++) runs.push((await run(query)).ms);
        perScope[`${account}/${region}`] = round(median(runs));
      }
    }
    const sumOfScopes = Object.values(perScope).reduce((a, b) => a + b, 0);
    const p50 = { estate: median(timings.estate), oneScope: median(timings.oneScope) };
    const ratio = p50.estate / p50.oneScope;
    const results = {
      scenario: 'dashboard over 2 accounts × 3 regions',
      scopes,
      latencyMs: { everyCall: LATENCY_MS, slowRegionExtra: SLOW_EXTRA_MS, slowRegion: SLOW_REGION },
      iterations,
      awsCalls: { measured: calls, minimum, total: total(calls), minimumTotal: total(minimum) },
      p50Ms: { estate: round(p50.estate), oneScope: round(p50.oneScope), perScope, sumOfScopes: round(sumOfScopes) },
      ratio: round(ratio),
      ratioToSum: round(p50.estate / sumOfScopes),
      recordedAt: new Date().toISOString(),
    };
    if (options.write) {
      mkdirSync('bench/results', { recursive: true });
      writeFileSync('bench/results/estate.json', `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync('bench/results/estate.md', markdown(results));
    }
    log(`p50 estate ${results.p50Ms.estate} ms, one scope ${results.p50Ms.oneScope} ms, ratio ${results.ratio}`);
    return results;
  } finally {
    await gateway.close();
    await emulator.close();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function markdown(r: {
  scopes: number;
  iterations: number;
  latencyMs: { everyCall: number; slowRegionExtra: number; slowRegion: string };
  awsCalls: { measured: Record<string, number>; minimum: Record<string, number>; total: number; minimumTotal: number };
  p50Ms: { estate: number; oneScope: number; sumOfScopes: number };
  ratio: number;
  ratioToSum: number;
  recordedAt: string;
}): string {
  const rows = Object.keys(r.awsCalls.minimum).map(
    (op) => `| ${op} | ${r.awsCalls.measured[op] ?? 0} | ${r.awsCalls.minimum[op]} |`,
  );
  return `# Estate benchmark: a dashboard over 2 accounts × 3 regions

Written by \`npm run bench:estate\` (bench/estate.ts) on ${r.recordedAt}. The emulator adds ${r.latencyMs.everyCall} ms
to every call and ${r.latencyMs.slowRegionExtra} ms more in ${r.latencyMs.slowRegion}; caches are off, so every
dashboard is cold. ${r.scopes} scopes; ${r.iterations} runs of each dashboard.

| AWS operation | calls | minimum |
|---|---|---|
${rows.join('\n')}
| **total** | **${r.awsCalls.total}** | **${r.awsCalls.minimumTotal}** |

| dashboard | p50 |
|---|---|
| every account and region (${r.scopes} scopes) | ${r.p50Ms.estate} ms |
| one scope (the slowest: ${r.latencyMs.slowRegion}) | ${r.p50Ms.oneScope} ms |
| **ratio** p50(estate) / p50(one scope) | **${r.ratio}** |
| sum of the ${r.scopes} scopes' p50s, each alone | ${r.p50Ms.sumOfScopes} ms |
| p50(estate) / that sum | ${r.ratioToSum} |

The scopes are read in parallel: the estate took ${r.ratio} times as long as its slowest scope alone, and
${r.ratioToSum} times the sum of the scopes each alone (the rest is CPU: ${r.awsCalls.total} signed calls instead of
one scope's few, on a machine whose cores the emulator shares).
`;
}

// `npm run bench:estate`; imported by its smoke test, it runs nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runEstateBench({
    iterations: Number(process.env.BENCH_ESTATE_ITERATIONS ?? 30),
    write: true,
  });
  if (results.awsCalls.total !== results.awsCalls.minimumTotal) process.exitCode = 1;
}
