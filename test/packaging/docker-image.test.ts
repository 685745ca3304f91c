import { type ChildProcess, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComposeService, composeServices, healthy } from '../helpers/compose.js';
import { type PlayedStage, playDockerfile, startStage } from '../helpers/dockerfile.js';

/*
 * The Dockerfile, played stage by stage without a Docker engine (test/helpers/dockerfile.ts), from a clean export
 * of HEAD (`git archive`: committed files only, as a fresh clone has them), then its two images run as
 * docker-compose.yml wires them (test/helpers/compose.ts: the compose environment, ports remapped to free loopback
 * ports) and queried. The timings of each step are written to test-results/dockerfile-play.json.
 *
 * Every RUN runs as written but one. A full `npm ci` in the build stage takes 25 to 75 s here even from a warm npm
 * cache with `--prefer-offline` (2 cores), which would double `npm test`. So by default its result is taken from
 * this checkout: when every package the exported lockfile names is installed in ./node_modules at the locked
 * version (checked package by package), ./node_modules is hard-linked into the stage (`cp -al`, a second or two)
 * in place of the download (npm's hidden lockfile copied, as npm rewrites it in place), and every later step
 * (codegen:check, build, `npm prune --omit=dev`, the images' COPYs, the runs) uses that tree as it would the one
 * `npm ci` makes. When the tree does not match the lockfile,
 * or with DOCKERFILE_NPM_CI=full, `npm ci` runs as written (`npm_config_prefer_offline` takes packages from the
 * npm cache instead of asking the registry for each).
 */

const NODE_BIN = dirname(process.execPath);
const BASE_PATH = `${NODE_BIN}:/usr/local/bin:/usr/bin:/bin`;
const STEP_TIMEOUT_MS = 240_000;

let work: string;
let stages: Map<string, PlayedStage>;
let services: ComposeService[];
const running = new Map<string, { child: ChildProcess; output: () => string }>();
const timings: Array<{ step: string; seconds: number }> = [];

/** Whether `modules` holds every package `lockfile` names (those for this platform) at its locked version. */
function installedAsLocked(lockfile: string, modules: string): boolean {
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as {
    packages: Record<string, { version?: string; optional?: boolean; link?: boolean }>;
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || entry.link) continue;
    const manifest = join(modules, path.slice('node_modules/'.length), 'package.json');
    if (!existsSync(manifest)) {
      // Optional packages of other platforms (esbuild's, fsevents) are not installed here, nor would npm ci.
      if (entry.optional) continue;
      return false;
    }
    if ((JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version !== entry.version) return false;
  }
  return true;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

function service(name: string): ComposeService {
  const found = services.find((s) => s.name === name);
  if (!found) throw new Error(`no compose service ${name}`);
  return found;
}

function url(name: string, path: string): string {
  const [port] = service(name).ports.values();
  return `http://127.0.0.1:${port}${path}`;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dockerfile-play-'));
  // Stage folders must not find a node_modules above them: Node would resolve what the image lacks from there.
  for (let dir = work; dir !== dirname(dir); dir = dirname(dir))
    if (existsSync(join(dir, 'node_modules'))) throw new Error(`${dir}/node_modules would leak into the images`);
  const context = join(work, 'context');
  mkdirSync(context);
  execFileSync('/bin/sh', ['-c', `git archive --format=tar HEAD | tar -x -C "${context}"`]);

  let started = performance.now();
  let step = 'git archive HEAD';
  const lap = (next: string) => {
    timings.push({ step, seconds: Number(((performance.now() - started) / 1000).toFixed(1)) });
    step = next;
    started = performance.now();
  };
  stages = playDockerfile(readFileSync(join(context, 'Dockerfile'), 'utf8'), {
    context,
    into: join(work, 'stages'),
    runEnv: {
      PATH: BASE_PATH,
      // The machine's npm cache, read without asking the registry about every package.
      HOME: process.env.HOME ?? homedir(),
      npm_config_prefer_offline: 'true',
      npm_config_update_notifier: 'false',
      CI: 'true',
    },
    runTimeoutMs: STEP_TIMEOUT_MS,
    onInstruction: (stage, instruction) => lap(`${stage}: ${instruction.keyword} ${instruction.args}`),
    runInstead: (_stage, command, cwd) => {
      if (!/^npm ci\b/.test(command) || process.env.DOCKERFILE_NPM_CI === 'full') return false;
      if (!installedAsLocked(join(cwd, 'package-lock.json'), 'node_modules')) return false;
      execFileSync('cp', ['-al', 'node_modules', join(cwd, 'node_modules')]);
      // npm rewrites its hidden lockfile in place (prune does): a copy of its own, or it would rewrite this one's.
      const hidden = join(cwd, 'node_modules', '.package-lock.json');
      rmSync(hidden, { force: true });
      if (existsSync('node_modules/.package-lock.json')) copyFileSync('node_modules/.package-lock.json', hidden);
      step = `${step} (node_modules of this checkout, hard-linked: it matches the lockfile)`;
      return true;
    },
  });
  lap('compose up');

  services = await composeServices(readFileSync(join(context, 'docker-compose.yml'), 'utf8'), stages, BASE_PATH);
  for (const s of services) {
    for (const dependency of s.dependsOn) {
      const other = service(dependency.name);
      if (dependency.condition === 'service_healthy' && other.healthcheck)
        await until(`${other.name} was not healthy`, () => healthy(other, other.healthcheck!, 3_000), 50_000);
    }
    const child = startStage(s.stage, s.env);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    running.set(s.name, { child, output: () => output });
  }
  // Up when each image's own HEALTHCHECK passes (compose has one for the emulator only).
  for (const s of services) {
    const check = s.healthcheck ?? s.stage.healthcheck;
    if (check)
      await until(
        `${s.name} did not pass its health check:\n${running.get(s.name)!.output()}`,
        () => healthy(s, check, 3_000),
        30_000,
      );
  }
  lap('done');
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/dockerfile-play.json', `${JSON.stringify(timings, null, 2)}\n`);
}, 400_000);

afterAll(async () => {
  for (const { child } of running.values()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  if (work) rmSync(work, { recursive: true, force: true });
}, 30_000);

describe('the Dockerfile, played stage by stage', () => {
  it('builds every bundle in the build stage, from what the build stage copies', () => {
    const dist = readdirSync(join(stages.get('build')!.root, 'app', 'dist')).sort();
    expect(dist).toEqual(expect.arrayContaining(['demo.js', 'emulator.js', 'gateway.js']));
  });

  it('gives the emulator image its bundle and nothing else', () => {
    const app = join(stages.get('emulator')!.root, 'app');
    expect(readdirSync(app)).toEqual(['dist']);
    expect(readdirSync(join(app, 'dist')).sort()).toEqual(['emulator.js', 'emulator.js.map']);
  });

  it('gives the gateway image production dependencies, its bundle and the schema, no emulator', () => {
    const app = join(stages.get('gateway')!.root, 'app');
    expect(readdirSync(app).sort()).toEqual(['dist', 'node_modules', 'package.json', 'schema']);
    expect(readdirSync(join(app, 'dist')).sort()).toEqual(['gateway.js', 'gateway.js.LEGAL.txt', 'gateway.js.map']);
    // npm prune --omit=dev ran: no test or build tooling in the image.
    for (const dev of ['vitest', '@biomejs/biome', '@graphql-codegen/cli', 'typescript'])
      expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
    expect(existsSync(join(app, 'node_modules', '@apollo', 'server'))).toBe(true);
  });
});

describe('the images, run as docker-compose.yml wires them', () => {
  it('starts the gateway against the emulator service, and says so', () => {
    const emulator = url('emulator', '');
    expect(service('gateway').env.AWS_ENDPOINT_URL).toBe(emulator);
    expect(running.get('gateway')!.output()).toContain(`against the AWS endpoint ${emulator} (AWS_ENDPOINT_URL)`);
  });

  it('is ready, and answers queries from the emulator’s demo data', async () => {
    const ready = await fetch(url('gateway', '/readyz'));
    expect(ready.status).toBe(200);
    const res = await fetch(url('gateway', '/graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{ eventStreams(domainName: "retail-customers") { nodes { name state } }
                  internetEvents(first: 3) { nodes { eventId status } } }`,
      }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data.eventStreams.nodes.map((n: { name: string }) => n.name)).toContain('orders-to-kinesis');
    expect(body.data.internetEvents.nodes).toHaveLength(3);
    const stats = (await (await fetch(url('emulator', '/_emulator/stats'))).json()) as {
      calls: Record<string, number>;
    };
    expect(stats.calls['profile:ListEventStreams']).toBeGreaterThan(0);
  });

  it('lets a local frontend call it from a browser (CORS)', async () => {
    const res = await fetch(url('gateway', '/graphql'), {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});
