import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { processCpuMs } from './cpu.js';
import type { ServeKind } from './targets.js';

export const READY_PREFIX = 'BENCH_READY ';
export const MEMORY_PREFIX = 'BENCH_MEMORY ';
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const READY_TIMEOUT_MS = 60_000;
const HEALTH_POLL_MS = 5;

/** Every child this process started; all are stopped when it exits, however it exits. */
const children = new Set<ChildProcess>();
let cleanupInstalled = false;

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const killAll = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

export interface ServerProcess {
  kind: ServeKind | 'product';
  url: string;
  pid: number;
  /** From spawn to the first successful health check. */
  startupMs: number;
  details: Record<string, unknown>;
  /** Current resident set size, bytes. */
  rss(): number;
  /** Highest RSS since start or since the last resetPeak(), bytes (Linux: VmHWM; elsewhere the highest sample). */
  peakRss(): number;
  resetPeak(): void;
  /** CPU time the process has used so far (user + system, from /proc), ms; NaN where unknown. */
  cpuMs(): number;
  /** process.memoryUsage() of the server, after a full garbage collection with `gc` (bench/serve.ts servers). */
  memory(gc: boolean): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

/** Tracks a process's memory through /proc (Linux), else through `ps`. */
/** What the process's resident set is made of now (proc(5) status): anonymous memory (the V8 heap, malloc, thread
 * stacks) and file-backed pages (the node binary's and libraries' code); null without /proc. */
export function rssParts(pid: number): { anonymousMb: number; fileMb: number } | null {
  const status = `/proc/${pid}/status`;
  if (!existsSync(status)) return null;
  return {
    anonymousMb: statusField(status, 'RssAnon') / 1024 ** 2,
    fileMb: statusField(status, 'RssFile') / 1024 ** 2,
  };
}

class RssProbe {
  private sampledPeak = 0;
  private readonly procStatus: string;

  constructor(private readonly pid: number) {
    this.procStatus = `/proc/${pid}/status`;
  }

  rss(): number {
    let bytes: number;
    if (existsSync(this.procStatus)) bytes = statusField(this.procStatus, 'VmRSS');
    else bytes = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(this.pid)], { encoding: 'utf8' }).trim()) * 1024;
    this.sampledPeak = Math.max(this.sampledPeak, bytes);
    return bytes;
  }

  peak(): number {
    const sampled = Math.max(this.sampledPeak, this.rss());
    return existsSync(this.procStatus) ? Math.max(statusField(this.procStatus, 'VmHWM'), sampled) : sampled;
  }

  resetPeak(): void {
    this.sampledPeak = 0;
    // "5" resets VmHWM to the current RSS (proc(5), clear_refs); without it the highest sample stands in.
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
    } catch {
      // not Linux, or not allowed: sampling only
    }
  }
}

function statusField(path: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(path, 'utf8'));
  if (!match) throw new Error(`${field} missing from ${path}`);
  return Number(match[1]) * 1024;
}

/** Polls `url` until it answers 2xx; bounded by `timeoutMs`. */
export async function waitForHealthy(url: string, timeoutMs: number, alive: () => boolean = () => true): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  while (performance.now() < deadline) {
    if (!alive()) throw new Error(`the process serving ${url} exited before it was healthy`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = new Error(`HTTP ${res.status}`);
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, HEALTH_POLL_MS));
  }
  throw new Error(`${url} was not healthy within ${timeoutMs} ms: ${String(last)}`);
}

function healthUrl(kind: ServerProcess['kind'], url: string): string {
  const origin = new URL(url).origin;
  return kind === 'emulator' ? `${origin}/_emulator/health` : `${origin}/healthz`;
}

function track(child: ChildProcess): { stderr: () => string } {
  installCleanup();
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep the tail only: enough to explain a crash, bounded whatever the child prints.
    stderr = (stderr + chunk.toString('utf8')).slice(-8_192);
  });
  return { stderr: () => stderr };
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
}

/**
 * Starts `bench/serve.ts <kind>` in a child process. It runs as `node --import tsx`, which is what `npx tsx` runs
 * without npx's and tsx's own wrapper processes: the pid we watch is the server's.
 */
export async function spawnServer(
  kind: ServeKind,
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; nodeArgs?: readonly string[] } = {},
): Promise<ServerProcess> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', 'bench/serve.ts', kind, ...args],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        APOLLO_TELEMETRY_DISABLED: '1',
        LOG_LEVEL: 'silent',
        NODE_ENV: 'production',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const { stderr } = track(child);
  const stop = stopper(child);
  try {
    const ready = await new Promise<{ url: string; pid: number } & Record<string, unknown>>((resolve, reject) => {
      let buffered = '';
      const timer = setTimeout(
        () => reject(new Error(`${kind} did not start within ${READY_TIMEOUT_MS} ms`)),
        READY_TIMEOUT_MS,
      );
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered = (buffered + chunk.toString('utf8')).slice(-65_536);
        const line = buffered.split('\n').find((l) => l.startsWith(READY_PREFIX));
        if (line) {
          clearTimeout(timer);
          resolve(JSON.parse(line.slice(READY_PREFIX.length)));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${kind} exited (${signal ?? code}) before it was ready:\n${stderr()}`));
      });
    });
    await waitForHealthy(healthUrl(kind, ready.url), READY_TIMEOUT_MS, () => child.exitCode === null);
    const startupMs = performance.now() - started;
    const { url, pid, ...details } = ready;
    const probe = new RssProbe(pid);
    const memoryReports = memoryReader(child);
    return {
      kind,
      url,
      pid,
      startupMs,
      details,
      rss: () => probe.rss(),
      peakRss: () => probe.peak(),
      resetPeak: () => probe.resetPeak(),
      cpuMs: () => processCpuMs(pid),
      memory: (gc) => {
        child.stdin!.write(gc ? 'gc\n' : 'memory\n');
        return memoryReports();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The next MEMORY_PREFIX line the child prints, parsed; one reader per child, answers in request order. */
function memoryReader(child: ChildProcess): () => Promise<NodeJS.MemoryUsage> {
  const waiting: Array<(usage: NodeJS.MemoryUsage) => void> = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered = (buffered + chunk.toString('utf8')).slice(-65_536);
    let end = buffered.indexOf('\n');
    while (end !== -1) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line.startsWith(MEMORY_PREFIX)) waiting.shift()?.(JSON.parse(line.slice(MEMORY_PREFIX.length)));
      end = buffered.indexOf('\n');
    }
  });
  return () =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server did not report its memory within 10 s')), 10_000);
      waiting.push((usage) => {
        clearTimeout(timer);
        resolve(usage);
      });
    });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** package.json's `start` script as words: `node`, its flags, the bundle. */
export function productStartCommand(): string[] {
  const pkg = JSON.parse(readFileSync(`${REPO_ROOT}package.json`, 'utf8')) as { scripts: { start: string } };
  const words = pkg.scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node') throw new Error(`npm start runs "${pkg.scripts.start}", not node`);
  return words;
}

/** The Node flags of npm start's command (`--max-semi-space-size=8`). */
export function productNodeFlags(): string[] {
  return productStartCommand()
    .slice(1)
    .filter((arg) => arg.startsWith('--'));
}

/**
 * Starts the product itself, as `npm start` and the container run it (`node --max-semi-space-size=8
 * dist/gateway.js`, read from package.json; `npm run bench` builds it first). Without a build, the sources through tsx, which is slower to start.
 * Used to time startup to ready and for the soak. With `probe`, bench/lib/memory-probe.mjs is preloaded so that
 * `memory(gc)` can read the process's own heap (the product itself is unchanged); `env` adds settings.
 */
export async function spawnProductGateway(
  endpointUrl: string,
  options: { env?: Record<string, string>; nodeArgs?: readonly string[]; probe?: boolean } = {},
): Promise<ServerProcess & { entry: string }> {
  const built = existsSync(`${REPO_ROOT}dist/gateway.js`);
  // `npm start`'s own command, its Node flags included (the heap settings the product ships with).
  const [, ...startArgs] = productStartCommand();
  const nodeFlags = productNodeFlags();
  const entry = built
    ? `node ${startArgs.join(' ')}`
    : `node ${[...nodeFlags, '--import tsx src/gateway.ts'].join(' ')}`;
  const port = await freePort();
  const started = performance.now();
  const args = [
    ...nodeFlags,
    ...(options.nodeArgs ?? []),
    ...(options.probe ? ['--import', './bench/lib/memory-probe.mjs'] : []),
    ...(built ? startArgs.filter((arg) => !arg.startsWith('--')) : ['--import', 'tsx', 'src/gateway.ts']),
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      APOLLO_TELEMETRY_DISABLED: '1',
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: String(port),
      AWS_ENDPOINT_URL: endpointUrl,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      CACHE_STORE: 'memory',
      ...options.env,
    },
    stdio: [options.probe ? 'pipe' : 'ignore', options.probe ? 'pipe' : 'ignore', 'pipe'],
  });
  const { stderr } = track(child);
  const stop = stopper(child);
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await waitForHealthy(healthUrl('product', url), READY_TIMEOUT_MS, () => child.exitCode === null);
  } catch (error) {
    await stop();
    throw new Error(`${entry}: ${(error as Error).message}\n${stderr()}`);
  }
  const startupMs = performance.now() - started;
  const probe = new RssProbe(child.pid!);
  const memoryReports = options.probe ? memoryReader(child) : undefined;
  return {
    kind: 'product',
    entry,
    url,
    pid: child.pid!,
    startupMs,
    details: {},
    rss: () => probe.rss(),
    peakRss: () => probe.peak(),
    resetPeak: () => probe.resetPeak(),
    cpuMs: () => processCpuMs(child.pid!),
    memory: (gc) => {
      if (!memoryReports) return Promise.reject(new Error(`${entry} was started without the memory probe`));
      child.stdin!.write(gc ? 'gc\n' : 'memory\n');
      return memoryReports();
    },
    stop,
  };
}
