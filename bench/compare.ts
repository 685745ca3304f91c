import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateFixtures } from '../src/emulator/index.js';
import { remoteEmulator } from './lib/emulator-control.js';
import { graphqlRequest } from './lib/load.js';
import { COLD_HEADERS, cpuRun } from './lib/measure.js';
import { benchData } from './lib/options.js';
import { REPO_ROOT, type ServerProcess, productNodeFlags, spawnServer } from './lib/processes.js';
import { BenchData, type ScenarioId, buildScenarios } from './lib/scenarios.js';
import { median } from './lib/stats.js';

/**
 * `npm run bench:compare -- --base <commit>`: the gateway of another commit against this working tree's, on the
 * same emulator in one run, rounds interleaved (base, then this tree, each round) so that the machine's drift weighs
 * on both alike. Each gateway runs from its own source (`bench/serve.ts` of its tree, a git worktree for the base)
 * with npm start's Node flags. Per scenario: the server's CPU time per response from /proc and req/s at 32
 * connections, cold. Writes bench/results/compare.md. Flags: --base REF (default HEAD~1), --rounds N (default 3),
 * --seconds S per run (default 8), --scenarios a,b (default single-lookup,entities-nodes).
 */

export interface CompareOptions {
  base: string;
  rounds: number;
  seconds: number;
  scenarios: ScenarioId[];
  /** Where the report goes; none when absent. */
  out?: string;
  log?: (message: string) => void;
}

export interface SideResult {
  cpuMsPerRequest: number[];
  requestsPerSecond: number[];
}

export interface CompareResult {
  base: string;
  baseCommit: string;
  headCommit: string;
  rounds: number;
  seconds: number;
  scenarios: Array<{ id: ScenarioId; title: string; base: SideResult; head: SideResult }>;
}

const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();

export async function compareCommits(options: CompareOptions): Promise<CompareResult> {
  const log = options.log ?? (() => {});
  const baseCommit = git('rev-parse', '--short=12', `${options.base}^{commit}`);
  const headCommit = `${git('rev-parse', '--short=12', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' + changes' : ''}`;
  const data = benchData(1);
  const scenarios = buildScenarios(new BenchData(generateFixtures(data)), 1);
  const picked = options.scenarios.map((id) => {
    const scenario = scenarios.find((s) => s.id === id);
    if (!scenario) throw new Error(`Unknown scenario ${id}: one of ${scenarios.map((s) => s.id).join(', ')}`);
    return scenario;
  });
  const dir = mkdtempSync(join(tmpdir(), 'aws-events-graph-compare-'));
  const tree = join(dir, 'base');
  git('worktree', 'add', '--detach', tree, baseCommit);
  const servers: ServerProcess[] = [];
  let emulatorProcess: ServerProcess | undefined;
  try {
    // The base runs with this tree's dependencies: a base whose lockfile differs is compared on today's packages.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
    emulatorProcess = await spawnServer('emulator', ['--data', JSON.stringify(data), '--latency-ms', '25']);
    const emulator = remoteEmulator(emulatorProcess.url);
    const baseProcesses = (await import(pathToFileURL(join(tree, 'bench/lib/processes.ts')).href)) as {
      spawnServer: typeof spawnServer;
    };
    const args = ['--endpoint-url', emulatorProcess.url];
    const nodeArgs = productNodeFlags();
    servers.push(await baseProcesses.spawnServer('gateway', args, { nodeArgs }));
    servers.push(await spawnServer('gateway', args, { nodeArgs }));
    const result: CompareResult = {
      base: options.base,
      baseCommit,
      headCommit,
      rounds: options.rounds,
      seconds: options.seconds,
      scenarios: [],
    };
    for (const scenario of picked) {
      const request = graphqlRequest(scenario.query, scenario.variables, COLD_HEADERS);
      const sides: SideResult[] = servers.map(() => ({ cpuMsPerRequest: [], requestsPerSecond: [] }));
      for (const server of servers) await cpuRun(server, emulator, request, Math.min(2, options.seconds));
      for (let round = 0; round < options.rounds; round++) {
        for (const [i, server] of servers.entries()) {
          const measured = await cpuRun(server, emulator, request, options.seconds);
          sides[i]!.cpuMsPerRequest.push(measured.cpuMsPerRequest);
          sides[i]!.requestsPerSecond.push(measured.requestsPerSecond);
        }
        log(
          `${scenario.id} round ${round + 1}: base ${sides[0]!.cpuMsPerRequest.at(-1)!.toFixed(3)} ms/req, this tree ${sides[1]!.cpuMsPerRequest.at(-1)!.toFixed(3)} ms/req`,
        );
      }
      result.scenarios.push({ id: scenario.id, title: scenario.title, base: sides[0]!, head: sides[1]! });
    }
    if (options.out) writeReport(options.out, result);
    return result;
  } finally {
    for (const server of servers) await server.stop();
    await emulatorProcess?.stop();
    git('worktree', 'remove', '--force', tree);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderCompare(r: CompareResult): string {
  const cell = (values: number[], digits: number) =>
    `${median(values).toFixed(digits)} (${values.map((v) => v.toFixed(digits)).join(', ')})`;
  return [
    '# This tree against another commit',
    '',
    `\`npm run bench:compare -- --base ${r.base}\` on ${new Date().toISOString()}: base ${r.baseCommit}, this tree ${r.headCommit}. Each gateway from its own source with npm start's Node flags, the same emulator (25 ms per AWS call), 32 connections, cold, ${r.seconds} s per run, ${r.rounds} rounds interleaved. CPU: the gateway process's user + system time from /proc per response. Medians, each round in brackets.`,
    '',
    '| scenario | CPU ms/req, base | CPU ms/req, this tree | CPU ratio | req/s, base | req/s, this tree | req/s ratio |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...r.scenarios.map(
      (s) =>
        `| ${s.title} | ${cell(s.base.cpuMsPerRequest, 3)} | ${cell(s.head.cpuMsPerRequest, 3)} | ${(median(s.head.cpuMsPerRequest) / median(s.base.cpuMsPerRequest)).toFixed(2)}x | ${cell(s.base.requestsPerSecond, 0)} | ${cell(s.head.requestsPerSecond, 0)} | ${(median(s.head.requestsPerSecond) / median(s.base.requestsPerSecond)).toFixed(2)}x |`,
    ),
    '',
  ].join('\n');
}

function writeReport(path: string, r: CompareResult): void {
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileSync(path, renderCompare(r));
  writeFileSync(path.replace(/\.md$/, '.json'), `${JSON.stringify(r, null, 2)}\n`);
}

function flag(args: readonly string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const out = resolve(REPO_ROOT, 'bench/results/compare.md');
  compareCommits({
    base: flag(args, 'base', 'HEAD~1'),
    rounds: Math.min(10, Math.max(1, Number(flag(args, 'rounds', '3')))),
    seconds: Math.min(60, Math.max(1, Number(flag(args, 'seconds', '8')))),
    scenarios: flag(args, 'scenarios', 'single-lookup,entities-nodes').split(',') as ScenarioId[],
    out,
    log: (message) => process.stderr.write(`[bench:compare] ${message}\n`),
  }).then(
    (result) => {
      process.stdout.write(`${renderCompare(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
