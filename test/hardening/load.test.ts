import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundles } from '../../scripts/build.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { generateFixtures } from '../../src/emulator/generate.js';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';
import { type GatewayOnlyProcess, startGatewayProcess } from './process.js';

/**
 * A bounded load on loopback while AWS misbehaves: LOAD_SECONDS (default 5) at LOAD_CONCURRENCY (default 16)
 * workers, each sending its next request as soon as the previous one is answered, mixing cached and fresh reads,
 * refused operations and bad input. Every response must be a GraphQL response, the gateway must stay up, and its
 * memory must stay flat. The figures are written to test-results/load-faults.json.
 */

const SECONDS = Number(process.env.LOAD_SECONDS ?? 5);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 16);
const WARM_UP_MS = 1_000;
const MAX_REQUESTS = 200_000;
/**
 * Growth of the live heap (measured after a full collection) allowed between the end of the warm-up and the end of
 * the run. The resident set is recorded too, but not bounded: V8 keeps freed pages for a while, so it moves by tens
 * of MiB either way without any leak.
 */
const HEAP_GROWTH_BOUND = 32 * 1024 * 1024;

/** The live heap after a full garbage collection (the gc function is exposed at run time for this). */
function liveHeap(): number {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

const FAULTS = {
  seed: 11,
  rules: [{ throttleRate: 0.2 }, { errorRate: 0.05 }, { resetRate: 0.02 }, { latencyMs: 2, jitterMs: 40 }],
};

interface Mix {
  name: string;
  body: string;
  headers?: Record<string, string>;
}

const MIX: Mix[] = [
  {
    name: 'cached dashboard',
    body: JSON.stringify({
      query:
        '{ internetEvents(first: 5) { nodes { eventId status } } eventStreams(domainName: "retail") { nodes { name state } } }',
    }),
  },
  {
    name: 'fresh lookups in three services',
    body: JSON.stringify({
      query:
        'query($t: String!) { eventStream(domainName: "retail", name: "orders") { name createdAt } eventTracker(arn: $t) { name trackingId } internetEvent(eventId: "evt-active-1") { eventId } }',
      variables: { t: arns.tracker('shop-tracker') },
    }),
    headers: { 'cache-control': 'no-cache' },
  },
  {
    name: 'nodes by id',
    body: JSON.stringify({
      query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
      variables: { ids: [arns.stream('us-east-1', 'retail', 'orders'), arns.group('shop'), 'evt-resolved-1'] },
    }),
  },
  {
    name: 'depth bomb',
    body: JSON.stringify({
      query: `{ datasetGroup(arn: "${arns.group('shop')}") { ${'eventTrackers { nodes { datasetGroup { '.repeat(6)}name${' } } }'.repeat(6)} } }`,
    }),
  },
  {
    name: 'bad input',
    body: JSON.stringify({ query: '{ eventStream(domainName: "retail", name: "../x") { name } }' }),
  },
];

interface Tally {
  requests: number;
  nonGraphQL: Array<{ mix: string; status: number; contentType: string; sample: string }>;
  networkErrors: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  latenciesMs: number[];
}

let stack: Stack;

async function drive(ms: number, tally: Tally): Promise<void> {
  const until = performance.now() + ms;
  let turn = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until && tally.requests < MAX_REQUESTS) {
        const mix = MIX[turn++ % MIX.length]!;
        const started = performance.now();
        tally.requests++;
        let res: Response;
        let text: string;
        try {
          res = await fetch(stack.gateway.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...mix.headers },
            body: mix.body,
          });
          text = await res.text();
        } catch {
          tally.networkErrors++;
          continue;
        }
        tally.latenciesMs.push(performance.now() - started);
        tally.statuses[res.status] = (tally.statuses[res.status] ?? 0) + 1;
        const contentType = res.headers.get('content-type') ?? '';
        let body: { data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> } | undefined;
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          body = undefined;
        }
        const graphQL =
          /^application\/(graphql-response\+)?json/.test(contentType) &&
          body !== undefined &&
          (body.data !== undefined || Array.isArray(body.errors)) &&
          (body.errors ?? []).every((e) => typeof e.extensions?.code === 'string');
        if (!graphQL) {
          if (tally.nonGraphQL.length < 10)
            tally.nonGraphQL.push({ mix: mix.name, status: res.status, contentType, sample: text.slice(0, 200) });
          else tally.nonGraphQL.push({ mix: mix.name, status: res.status, contentType, sample: '' });
          continue;
        }
        for (const error of body!.errors ?? []) {
          const code = String(error.extensions!.code);
          tally.codes[code] = (tally.codes[code] ?? 0) + 1;
        }
      }
    }),
  );
}

function percentile(sorted: number[], p: number): number {
  return sorted.length
    ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10
    : 0;
}

function metricSum(metrics: string, name: string): number {
  return metrics
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('load with AWS faults', () => {
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { AWS_MAX_ATTEMPTS: '3', AWS_CALL_TIMEOUT_MS: '2000', OPERATION_TIMEOUT_MS: '5000' },
    });
  });
  afterAll(() => stack?.close());

  it(`answers every request of a ${SECONDS} s run at concurrency ${CONCURRENCY} with a GraphQL response, and keeps its memory flat`, async () => {
    stack.emulator.setFaults(FAULTS);
    const warmUp: Tally = { requests: 0, nonGraphQL: [], networkErrors: 0, statuses: {}, codes: {}, latenciesMs: [] };
    await drive(WARM_UP_MS, warmUp);

    const heapBefore = liveHeap();
    const rss: number[] = [process.memoryUsage().rss];
    const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 250);
    const tally: Tally = { requests: 0, nonGraphQL: [], networkErrors: 0, statuses: {}, codes: {}, latenciesMs: [] };
    const started = performance.now();
    try {
      await drive(SECONDS * 1000, tally);
    } finally {
      clearInterval(sampler);
    }
    const elapsedMs = performance.now() - started;
    rss.push(process.memoryUsage().rss);
    const heapAfter = liveHeap();
    stack.emulator.clearFaults();

    const health = await fetch(stack.gateway.url.replace(/\/graphql$/, '/healthz'));
    const metrics = await (await fetch(stack.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
    const sorted = [...tally.latenciesMs].sort((a, b) => a - b);
    const results = {
      run: {
        seconds: SECONDS,
        concurrency: CONCURRENCY,
        warmUpMs: WARM_UP_MS,
        elapsedMs: Math.round(elapsedMs),
        faults: FAULTS,
        mix: MIX.map((m) => m.name),
      },
      requests: tally.requests,
      requestsPerSecond: Math.round((tally.requests / elapsedMs) * 1000),
      latencyMs: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: percentile(sorted, 100),
      },
      statuses: tally.statuses,
      errorCodes: tally.codes,
      nonGraphQLResponses: tally.nonGraphQL.length,
      nonGraphQLSamples: tally.nonGraphQL.slice(0, 10),
      networkErrors: tally.networkErrors,
      aws: {
        callsServedByEmulator: stack.totalCalls(),
        retries: metricSum(metrics, 'gateway_aws_retries_total'),
        shed: metricSum(metrics, 'gateway_aws_calls_shed_total'),
      },
      memory: {
        liveHeapStartMiB: Math.round(heapBefore / 1048576),
        liveHeapEndMiB: Math.round(heapAfter / 1048576),
        liveHeapGrowthMiB: Math.round(((heapAfter - heapBefore) / 1048576) * 10) / 10,
        liveHeapGrowthBoundMiB: HEAP_GROWTH_BOUND / 1048576,
        rssStartMiB: Math.round(rss[0]! / 1048576),
        rssEndMiB: Math.round(rss.at(-1)! / 1048576),
        rssMaxMiB: Math.round(Math.max(...rss) / 1048576),
      },
      healthAfter: health.status,
    };
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/load-faults.json', `${JSON.stringify(results, null, 2)}\n`);

    expect(tally.nonGraphQL).toEqual([]);
    expect(tally.networkErrors).toBe(0);
    expect(tally.requests).toBeGreaterThan(CONCURRENCY * SECONDS);
    // The refused mixes are GraphQL refusals answered as application/json: 200 with their codes.
    expect(Object.keys(tally.statuses).sort()).toEqual(['200']);
    expect(results.aws.retries).toBeGreaterThan(0);
    expect(health.status).toBe(200);
    expect(heapAfter - heapBefore).toBeLessThan(HEAP_GROWTH_BOUND);
  });
});

/**
 * The attack that used to grow the process until it died: every request a new `startTime`, so every answer is a
 * new page of 100 internet events (about 90 KB each) for the caches to keep. The gateway runs as `npm start` runs
 * it (the dist/gateway.js bundle) in a child process, its heap capped at 256 MB (`--max-old-space-size=256`),
 * DISTINCT_SECONDS (default 10) at LOAD_CONCURRENCY workers, at most DISTINCT_MAX_REQUESTS requests. It must end
 * alive, with every answer a page of data, and its resident set within RSS_BOUND_MB. The figures are written to
 * test-results/load-distinct.json.
 */
const DISTINCT_SECONDS = Number(process.env.DISTINCT_SECONDS ?? process.env.LOAD_SECONDS ?? 10);
const DISTINCT_MAX_REQUESTS = Number(process.env.DISTINCT_MAX_REQUESTS ?? 100_000);
const RSS_BOUND_MB = Number(process.env.RSS_BOUND_MB ?? 320);
const HEAP_CAP_MB = 256;
const EVENTS = 3_000;

const PAGE = `query Page($t: DateTime) {
  internetEvents(startTime: $t, first: 100) {
    nodes { eventId arn startedAt endedAt type status
            clientLocation { asName asNumber country subdivision metro city latitude longitude } }
  }
}`;

describe('load with a new startTime per request, heap capped', () => {
  let emulator: RunningEmulator;
  let gateway: GatewayOnlyProcess;
  /** Every event started within the 30 days before this; a startTime just after it matches them all. */
  let oldest: number;
  beforeAll(async () => {
    const fixtures = generateFixtures({ internetEvents: EVENTS, seed: 9 });
    oldest = Math.min(...fixtures.internetMonitor!.internetEvents.map((e) => Date.parse(e.StartedAt)));
    emulator = await startEmulator({ port: 0, fixtures });
    // What `npm start` runs (dist/gateway.js), built here beside a link to schema/ (the bundle reads ../schema/);
    // dependencies resolve from the repository's node_modules.
    const root = resolve('test-results/load-bundle');
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    symlinkSync(resolve('schema'), join(root, 'schema'));
    await buildBundles(join(root, 'dist'), ['gateway']);
    gateway = await startGatewayProcess(emulator.url, {
      bundle: join(root, 'dist', 'gateway.js'),
      nodeArgs: [`--max-old-space-size=${HEAP_CAP_MB}`],
      env: { AWS_ACCOUNT_ID: fixtures.accountId, PLAYGROUND: 'false' },
    });
  }, 60_000);
  afterAll(async () => {
    if (gateway && gateway.child.exitCode === null) gateway.child.kill('SIGKILL');
    await emulator?.close();
  });

  /** The gateway's memory as its own /metrics reports it: resident set, V8 heap (total and used), external. */
  const memory = { heapTotal: [] as number[], heapUsed: [] as number[], external: [] as number[], cpu: [] as number[] };
  async function rssOfGateway(): Promise<number> {
    const metrics = await (await fetch(gateway.gatewayUrl.replace(/\/graphql$/, '/metrics'))).text();
    const read = (name: string) => Number(new RegExp(`^gateway_${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? Number.NaN);
    memory.heapTotal.push(read('nodejs_heap_size_total_bytes'));
    memory.heapUsed.push(read('nodejs_heap_size_used_bytes'));
    memory.external.push(read('nodejs_external_memory_bytes'));
    memory.cpu.push(Number(/^gateway_process_cpu_seconds_total ([\d.]+)/m.exec(metrics)?.[1] ?? Number.NaN));
    return read('process_resident_memory_bytes');
  }

  it(`stays alive and within ${RSS_BOUND_MB} MB of RSS for ${DISTINCT_SECONDS} s of distinct variables`, async () => {
    const rss: number[] = [await rssOfGateway()];
    const statuses: Record<string, number> = {};
    const failures: string[] = [];
    let requests = 0;
    let next = 0;
    const until = performance.now() + DISTINCT_SECONDS * 1000;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        rss.push(await rssOfGateway());
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    })();
    const started = performance.now();
    try {
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < until && requests < DISTINCT_MAX_REQUESTS) {
            requests++;
            // A startTime no request has used: a page no cache holds yet. Every one matches all the events.
            const t = new Date(oldest - 1 - next++).toISOString();
            try {
              const res = await fetch(gateway.gatewayUrl, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ query: PAGE, variables: { t } }),
              });
              const body = (await res.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
              statuses[res.status] = (statuses[res.status] ?? 0) + 1;
              if (res.status !== 200 || body.errors || body.data?.internetEvents?.nodes?.length !== 100) {
                if (failures.length < 10)
                  failures.push(`${res.status} ${body.errors?.map((e) => e.extensions?.code).join(',') ?? ''}`);
              }
            } catch (error) {
              if (failures.length < 10) failures.push(String(error));
            }
          }
        }),
      );
    } finally {
      sampling = false;
      await sampler;
    }
    const elapsedMs = performance.now() - started;
    const alive = gateway.child.exitCode === null && gateway.child.signalCode === null;
    rss.push(await rssOfGateway());
    const results = {
      run: { seconds: DISTINCT_SECONDS, concurrency: CONCURRENCY, heapCapMiB: HEAP_CAP_MB, events: EVENTS },
      requests,
      requestsPerSecond: Math.round((requests / elapsedMs) * 1000),
      statuses,
      failures,
      awsCallsServedByEmulator: emulator.stats().total,
      gatewayCpuSeconds: Math.round((memory.cpu.at(-1)! - memory.cpu[0]!) * 10) / 10,
      rssMiB: {
        start: Math.round(rss[0]! / 1048576),
        end: Math.round(rss.at(-1)! / 1048576),
        max: Math.round(Math.max(...rss) / 1048576),
        bound: RSS_BOUND_MB,
        heapTotalMax: Math.round(Math.max(...memory.heapTotal) / 1048576),
        heapUsedMax: Math.round(Math.max(...memory.heapUsed) / 1048576),
        heapUsedEnd: Math.round(memory.heapUsed.at(-1)! / 1048576),
        externalMax: Math.round(Math.max(...memory.external) / 1048576),
      },
      alive,
    };
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/load-distinct.json', `${JSON.stringify(results, null, 2)}\n`);

    expect(alive).toBe(true);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(CONCURRENCY * DISTINCT_SECONDS);
    expect(Math.max(...rss)).toBeLessThanOrEqual(RSS_BOUND_MB * 1048576);
    // It still shuts down cleanly after the run.
    expect(await gateway.stop()).toBe(0);
  });
});
