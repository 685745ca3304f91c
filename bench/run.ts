import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Fixtures, generateFixtures } from '../src/emulator/index.js';
import { type CeilingResponse, typedQuery } from './ceiling/server.js';
import { CpuMonitor } from './lib/cpu.js';
import { remoteEmulator } from './lib/emulator-control.js';
import { graphqlRequest } from './lib/load.js';
import { walkLists } from './lib/list-orders.js';
import {
  COLD_HEADERS,
  type GraphQLBody,
  countCalls,
  measureRounds,
  measureTiming,
  quiesce,
  sameData,
  send,
} from './lib/measure.js';
import { minimumForOperation } from './lib/minimum.js';
import { type BenchOptions, readBenchOptions } from './lib/options.js';
import {
  REPO_ROOT,
  type ServerProcess,
  productNodeFlags,
  rssParts,
  spawnProductGateway,
  spawnServer,
} from './lib/processes.js';
import {
  type BenchResults,
  type Measurement,
  type ScenarioInfo,
  evaluateTargets,
  renderMarkdown,
} from './lib/report.js';
import { BenchData, type Scenario, type ScenarioId, buildScenarios, listsToWalk } from './lib/scenarios.js';
import { cacheSizes, soak, soakRequests } from './lib/soak.js';
import { median } from './lib/stats.js';
import { BENCH_GATEWAY_OVERRIDES, type Implementation } from './lib/targets.js';

/**
 * `npm run bench` (`npm run bench:quick` for the short version): the gateway, the naive baseline and the ceiling,
 * each in its own process, against the AWS emulator (another process) with generated data and an emulated call
 * latency. Writes bench/results/latest.json and latest.md. Settings: bench/lib/options.ts.
 */

const MB = 1024 * 1024;
const IMPLEMENTATIONS: readonly Implementation[] = ['gateway', 'naive', 'ceiling'];

/** The comparison soak's settings: caches as large as the settings allow, so nothing is ever evicted. */
const UNBOUNDED_CACHES = {
  CACHE_MAX_ENTRIES: '10000000',
  CACHE_MAX_BYTES: String(64 * 1024 ** 3),
  CACHE_MAX_ENTRY_BYTES: String(1024 ** 2),
  RESPONSE_CACHE_MAX_BYTES: String(4 * 1024 ** 3),
};

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

function dataCounts(fixtures: Fixtures): Record<string, number> {
  const regions = Object.values(fixtures.regions ?? {});
  return {
    regions: regions.length,
    'event streams': regions.reduce(
      (n, r) => n + (r.customerProfiles?.domains ?? []).reduce((m, d) => m + (d.eventStreams?.length ?? 0), 0),
      0,
    ),
    'event trackers': regions.reduce((n, r) => n + (r.personalize?.eventTrackers?.length ?? 0), 0),
    'dataset groups': regions.reduce((n, r) => n + (r.personalize?.datasetGroups?.length ?? 0), 0),
    'internet events': fixtures.internetMonitor?.internetEvents?.length ?? 0,
  };
}

function commit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return null;
  }
}

function errorsOf(body: GraphQLBody): string[] {
  return (body.errors ?? []).map(
    (e) =>
      `${e.message}${e.extensions?.code ? ` (${String(e.extensions.code)})` : ''}${e.path ? ` at ${e.path.join('.')}` : ''}`,
  );
}

/** The gateway's answers, with `__typename` everywhere, for the ceiling to serve. */
async function ceilingResponses(url: string, scenarios: readonly Scenario[]): Promise<CeilingResponse[]> {
  const responses = new Map<string, CeilingResponse>();
  for (const scenario of scenarios) {
    if (responses.has(scenario.query)) continue;
    const { body } = await send(url, graphqlRequest(typedQuery(scenario.query), scenario.variables, COLD_HEADERS));
    if (!body.data || body.errors?.length)
      throw new Error(
        `the gateway failed ${scenario.id}, so the ceiling has nothing to serve: ${errorsOf(body).join('; ')}`,
      );
    responses.set(scenario.query, { query: scenario.query, data: body.data });
  }
  return [...responses.values()];
}

async function measureImplementation(
  implementation: Implementation,
  server: ServerProcess,
  scenarios: readonly Scenario[],
  options: BenchOptions,
  emulator: ReturnType<typeof remoteEmulator>,
  gatewayBodies: Map<ScenarioId, GraphQLBody>,
  emulatorPid: number,
): Promise<Measurement[]> {
  const measurements: Measurement[] = [];
  const cpu = new CpuMonitor(() => [server.pid, emulatorPid]);
  for (const scenario of scenarios) {
    const counted = await countCalls(server.url, scenario, emulator);
    if (implementation === 'gateway') gatewayBodies.set(scenario.id, counted.body);
    server.resetPeak();
    const timing = await measureTiming(server.url, scenario, emulator, options, cpu, () => server.cpuMs());
    const rounds = await measureRounds(server.url, scenario, emulator, options.latencyMs);
    const errors = errorsOf(counted.body);
    const m: Measurement = {
      scenario: scenario.id,
      implementation,
      awsCalls: counted.total,
      awsCallsByOperation: counted.byOperation,
      latency: timing.latency,
      load: timing.load,
      awsCallsPerRequestUnderLoad: timing.awsCallsPerRequestUnderLoad,
      cpuMsPerRequest: timing.cpuMsPerRequest,
      rounds,
      foreignCpuCores: timing.foreignCpuCores,
      peakRssMb: server.peakRss() / MB,
      ok: counted.status === 200 && !!counted.body.data && errors.length === 0,
      errors,
      dataMatchesGateway: implementation === 'gateway' ? null : sameData(gatewayBodies.get(scenario.id), counted.body),
    };
    measurements.push(m);
    log(
      `${implementation.padEnd(7)} ${scenario.id.padEnd(20)} calls ${String(m.awsCalls).padStart(3)}  rounds ${m.rounds}  CPU ${m.cpuMsPerRequest.toFixed(2)} ms/req  p50 ${m.latency.p50.toFixed(1)} ms  p99 ${m.latency.p99.toFixed(1)} ms  ` +
        `${Math.round(m.load.requestsPerSecond)} req/s @${options.connections} (p99 ${m.load.p99.toFixed(1)} ms)  RSS ${m.peakRssMb.toFixed(0)} MB  other CPU ${m.foreignCpuCores.toFixed(2)}${m.ok ? '' : `  ERRORS: ${errors.slice(0, 2).join('; ')}`}`,
    );
  }
  return measurements;
}

async function main(): Promise<void> {
  const options = readBenchOptions(process.env, process.argv.slice(2));
  const started = performance.now();
  const fixtures = generateFixtures(options.data);
  const data = new BenchData(fixtures);
  // Quick mode leaves out the optional `_entities` variant of the entity batch (the same resources as `nodes`).
  const scenarios = buildScenarios(data, options.data.seed ?? 1).filter(
    (s) => !options.quick || s.id !== 'entities-federation',
  );
  log(
    `${options.quick ? 'quick' : 'full'} run; call latency ${options.latencyMs} ms; ${JSON.stringify(dataCounts(fixtures))}`,
  );

  // Node flags for the servers under test (all three alike), e.g. a heap limit or --cpu-prof: BENCH_NODE_OPTIONS.
  const serverOptions = { nodeArgs: options.nodeOptions?.split(/\s+/).filter(Boolean) ?? [] };
  const tmp = mkdtempSync(join(tmpdir(), 'aws-events-graph-bench-'));
  const emulatorProcess = await spawnServer('emulator', ['--data', JSON.stringify(options.data), '--latency-ms', '0']);
  const servers: Record<string, number> = { emulator: emulatorProcess.startupMs };
  const measurements: Measurement[] = [];
  const gatewayBodies = new Map<ScenarioId, GraphQLBody>();
  let soakResult: BenchResults['soak'] = null;
  let soakUnbounded: BenchResults['soakUnbounded'] = null;
  let soakRepeat: BenchResults['soakRepeat'] = null;
  let gatewayDetails: Record<string, unknown> = {};
  const startupRuns: number[] = [];
  const startupForeignCpu: number[] = [];
  let productEntry = '';
  let infos: ScenarioInfo[];
  try {
    const emulator = remoteEmulator(emulatorProcess.url);
    // List positions first, without latency: they are facts about the data, not part of any measurement.
    const orders = await walkLists(emulatorProcess.url, listsToWalk(scenarios));
    await emulator.setLatency(options.latencyMs);
    await emulator.reset();
    infos = scenarios.map((s) => {
      const derivation = minimumForOperation(s.demand, orders);
      return {
        id: s.id,
        title: s.title,
        operationFile: s.operationFile,
        cache: s.cache,
        references: s.references,
        distinctResources: s.distinctResources,
        minimum: s.cache === 'warm' ? 0 : derivation.total,
        derivation,
      };
    });

    for (let i = 0; i < (options.only === 'all' ? options.startupRuns : 0); i++) {
      const pids = [emulatorProcess.pid];
      const cpu = new CpuMonitor(() => pids);
      cpu.begin();
      const product = await spawnProductGateway(emulatorProcess.url);
      pids.push(product.pid);
      startupForeignCpu.push(cpu.end());
      productEntry = product.entry;
      startupRuns.push(product.startupMs);
      await product.stop();
    }
    if (startupRuns.length)
      log(
        `startup of ${productEntry}: ${startupRuns.map((v, i) => `${Math.round(v)} ms (other CPU ${startupForeignCpu[i]!.toFixed(2)})`).join(', ')}`,
      );

    const responsesFile = join(tmp, 'ceiling-responses.json');
    for (const implementation of options.only === 'all' ? IMPLEMENTATIONS : []) {
      // The gateway with the Node flags npm start gives the product (its young generation), like the soak's.
      const nodeArgs =
        implementation === 'gateway' ? [...productNodeFlags(), ...serverOptions.nodeArgs] : serverOptions.nodeArgs;
      const server = await spawnServer(
        implementation,
        implementation === 'ceiling' ? ['--responses', responsesFile] : ['--endpoint-url', emulatorProcess.url],
        { nodeArgs },
      );
      servers[implementation] = server.startupMs;
      try {
        if (implementation === 'gateway') {
          gatewayDetails = server.details;
          writeFileSync(responsesFile, JSON.stringify(await ceilingResponses(server.url, scenarios)));
        }
        measurements.push(
          ...(await measureImplementation(
            implementation,
            server,
            scenarios,
            options,
            emulator,
            gatewayBodies,
            emulatorProcess.pid,
          )),
        );
      } finally {
        await server.stop();
      }
    }

    // The product itself (as `npm start` runs it), fresh, so the soak shows how memory behaves from start-up on,
    // not after the scenarios above; then the same run with the caches unbounded, for the throughput they cost.
    const soakOnce = async (label: string, env: Record<string, string>) => {
      log(`soak (${label}): ${options.soakSeconds} s at ${options.soakConnections} connections`);
      const product = await spawnProductGateway(emulatorProcess.url, {
        env: { ...BENCH_GATEWAY_OVERRIDES, ...env },
        nodeArgs: serverOptions.nodeArgs,
        probe: true,
      });
      try {
        await quiesce(emulator);
        const callsBefore = (await emulator.stats()).total;
        const cpuBefore = product.cpuMs();
        const result = await soak(
          product.url,
          {
            rssMb: () => product.rss() / MB,
            peakRssMb: () => product.peakRss() / MB,
            memory: (gc) => product.memory(gc),
            cacheBytes: async () =>
              Object.values((await cacheSizes(product.url)).held).reduce((sum, c) => sum + c.bytes, 0),
          },
          soakRequests(data, scenarios, options.data.seed ?? 1),
          {
            seconds: options.soakSeconds,
            connections: options.soakConnections,
            warmupSeconds: options.soakWarmupSeconds,
          },
        );
        const cpuMsPerRequest = (product.cpuMs() - cpuBefore) / Math.max(1, result.load.totalResponses);
        await quiesce(emulator);
        const awsCallsPerRequest =
          ((await emulator.stats()).total - callsBefore) / Math.max(1, result.load.totalResponses);
        const caches = await cacheSizes(product.url);
        const parts = rssParts(product.pid);
        const measured = {
          ...result,
          caches,
          ...(parts ? { rssAtEnd: parts } : {}),
          entry: product.entry,
          settings: env,
          cpuMsPerRequest,
          awsCallsPerRequest,
        };
        log(
          `soak (${label}): peak ${measured.peakRssMb.toFixed(1)} MB, slope ${measured.slopeMbPerMinute.toFixed(2)} MB/min, ${Math.round(measured.load.requestsPerSecond)} req/s, CPU ${cpuMsPerRequest.toFixed(2)} ms/req, AWS calls ${awsCallsPerRequest.toFixed(2)}/req, live heap after GC ${measured.afterLoad?.liveHeapMb.toFixed(1) ?? '—'} MB`,
        );
        return measured;
      } finally {
        await product.stop();
      }
    };
    soakResult = await soakOnce('default settings', {});
    soakUnbounded = await soakOnce('unbounded caches', UNBOUNDED_CACHES);
    // Once more with the defaults, so that whatever drifts over the runs (the emulator, the machine) weighs on both
    // sides of the comparison alike: default throughput is the mean of the runs before and after.
    soakRepeat = await soakOnce('default settings, again', {});
  } finally {
    await emulatorProcess.stop();
    rmSync(tmp, { recursive: true, force: true });
  }

  const partial: Omit<BenchResults, 'targets'> = {
    generatedAt: new Date().toISOString(),
    mode: options.quick ? 'quick' : 'full',
    environment: {
      node: process.versions.node,
      platform: `${process.platform} ${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
      commit: commit(),
    },
    settings: {
      latencyMs: options.latencyMs,
      connections: options.connections,
      latencySeconds: options.latencySeconds,
      loadSeconds: options.loadSeconds,
      soakSeconds: options.soakSeconds,
      soakConnections: options.soakConnections,
      soakWarmupSeconds: options.soakWarmupSeconds,
      data: options.data,
      dataCounts: dataCounts(fixtures),
      gateway: gatewayDetails,
      nodeOptions: options.nodeOptions ?? null,
    },
    scenarios: infos,
    measurements,
    startup: {
      product: {
        entry: productEntry,
        runsMs: startupRuns,
        medianMs: median(startupRuns),
        foreignCpuCores: startupForeignCpu,
      },
      servers,
    },
    soak: soakResult,
    soakUnbounded,
    soakRepeat,
  };
  const results: BenchResults = { ...partial, targets: evaluateTargets(partial) };
  const outDir = resolve(REPO_ROOT, options.outDir);
  mkdirSync(outDir, { recursive: true });
  const markdown = renderMarkdown(results);
  // `--only soak` writes soak.json and soak.md (soak-x<scale>.* with --soak-scale), so a soak on its own never
  // replaces a full run's report.
  const name = options.only === 'all' ? 'latest' : options.soakScale > 1 ? `soak-x${options.soakScale}` : 'soak';
  writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, `${name}.md`), markdown);
  process.stdout.write(`${markdown}\n`);
  log(
    `wrote ${join(options.outDir, `${name}.json`)} and ${name}.md in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
