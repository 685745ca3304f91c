import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateFixtures } from '../src/emulator/index.js';
import { remoteEmulator } from './lib/emulator-control.js';
import { graphqlRequest } from './lib/load.js';
import { COLD_HEADERS, cpuRun, quiesce } from './lib/measure.js';
import { benchData } from './lib/options.js';
import { REPO_ROOT, productNodeFlags, spawnServer } from './lib/processes.js';
import { BenchData, type ScenarioId, buildScenarios } from './lib/scenarios.js';
import { median } from './lib/stats.js';

/**
 * `npm run bench:heap`: what the heap settings cost in CPU. The gateway under each setting in turn (V8's own policy,
 * and the settings npm start ships with), the same cold scenario at 32 connections, rounds interleaved so that the
 * machine's drift weighs on every setting alike; the server's CPU time per response from /proc, median of the rounds.
 * Writes bench/results/heap-settings.md. Flags: --rounds N (default 3), --seconds S per run (default 8),
 * --scenario ID (default entities-nodes, the heaviest allocator).
 */

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const ROUNDS = Math.min(10, Math.max(1, Number(flag('rounds', '3'))));
const SECONDS = Math.min(60, Math.max(2, Number(flag('seconds', '8'))));
const SCENARIO = flag('scenario', 'entities-nodes') as ScenarioId;

const SETTINGS = [
  { label: "V8's own (HEAP_GROWTH_PERCENT=0, 32 MB young generation)", env: { HEAP_GROWTH_PERCENT: '0' }, node: [] },
  {
    label: `as shipped (HEAP_GROWTH_PERCENT=50, ${productNodeFlags().join(' ')})`,
    env: { HEAP_GROWTH_PERCENT: '50' },
    node: productNodeFlags(),
  },
  {
    label: `tighter (HEAP_GROWTH_PERCENT=25, ${productNodeFlags().join(' ')})`,
    env: { HEAP_GROWTH_PERCENT: '25' },
    node: productNodeFlags(),
  },
];

const log = (message: string) => process.stderr.write(`[bench:heap] ${message}\n`);

async function main(): Promise<void> {
  const data = benchData(1);
  const scenario = buildScenarios(new BenchData(generateFixtures(data)), 1).find((s) => s.id === SCENARIO);
  if (!scenario) throw new Error(`Unknown scenario ${SCENARIO}`);
  const emulatorProcess = await spawnServer('emulator', ['--data', JSON.stringify(data), '--latency-ms', '25']);
  const emulator = remoteEmulator(emulatorProcess.url);
  const request = graphqlRequest(scenario.query, scenario.variables, COLD_HEADERS);
  const cpu: number[][] = SETTINGS.map(() => []);
  const rates: number[][] = SETTINGS.map(() => []);
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, setting] of SETTINGS.entries()) {
        const server = await spawnServer('gateway', ['--endpoint-url', emulatorProcess.url], {
          env: setting.env,
          nodeArgs: setting.node,
        });
        try {
          await cpuRun(server, emulator, request, 2);
          const measured = await cpuRun(server, emulator, request, SECONDS);
          cpu[i]!.push(measured.cpuMsPerRequest);
          rates[i]!.push(measured.requestsPerSecond);
          log(
            `round ${round + 1}: ${setting.label}: ${cpu[i]!.at(-1)!.toFixed(2)} ms/req, ${Math.round(measured.requestsPerSecond)} req/s`,
          );
          await quiesce(emulator);
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    await emulatorProcess.stop();
  }
  const base = median(cpu[0]!);
  const lines = [
    '# Heap settings: CPU per request',
    '',
    `\`npm run bench:heap\` on ${new Date().toISOString()}: ${scenario.title}, 32 connections, ${SECONDS} s per run, ${ROUNDS} interleaved rounds, 25 ms per AWS call. CPU: the gateway process's user + system time from /proc per response.`,
    '',
    "| setting | CPU ms/req (median) | each round | vs V8's own | req/s (median) |",
    '|---|--:|---|--:|--:|',
    ...SETTINGS.map(
      (s, i) =>
        `| ${s.label} | ${median(cpu[i]!).toFixed(2)} | ${cpu[i]!.map((v) => v.toFixed(2)).join(', ')} | ${(median(cpu[i]!) / base).toFixed(2)}x | ${Math.round(median(rates[i]!))} |`,
    ),
    '',
  ];
  const out = resolve(REPO_ROOT, 'bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'heap-settings.md'), lines.join('\n'));
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
