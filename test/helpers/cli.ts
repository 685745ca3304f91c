import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { ENTRY_POINTS, type EntryName } from '../../scripts/build.js';

/**
 * The real entry points (src/gateway.ts, src/emulator/main.ts, src/demo.ts: what dist/*.js bundle) in child
 * processes, from the sources through tsx so that no test depends on a build.
 */

export function spawnEntryPoint(
  entry: EntryName,
  options: { args?: readonly string[]; env?: Record<string, string | undefined>; stdio?: SpawnOptions['stdio'] } = {},
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ENTRY_POINTS[entry], ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
  });
}

export interface EntryPointRun {
  /** stdout and stderr, interleaved as they came. */
  output: string;
  code: number | null;
}

export interface RunOptions {
  env?: Record<string, string>;
  args?: readonly string[];
  /** Once the output matches, `onReady` runs and the process is sent SIGTERM. */
  ready?: RegExp;
  onReady?: (output: string) => Promise<void>;
}

/** Runs an entry point until its output matches `ready` (then stops it) or until it exits by itself. */
export function runEntryPoint(
  entry: EntryName,
  { env = {}, args, ready, onReady }: RunOptions = {},
): Promise<EntryPointRun> {
  return new Promise((resolve, reject) => {
    const child = spawnEntryPoint(entry, { args, env: { LOG_LEVEL: 'silent', ...env } });
    let output = '';
    let triggered = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready && !triggered && ready.test(output)) {
        triggered = true;
        (onReady ?? (async () => {}))(output).then(
          () => child.kill('SIGTERM'),
          (error: unknown) => {
            child.kill('SIGKILL');
            reject(error);
          },
        );
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ output, code });
    });
  });
}

export interface RunningEntryPoint {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** The match of `ready` in the output. */
  ready: RegExpExecArray;
  /** SIGTERM, then the exit code (or the signal's name). */
  stop(): Promise<number | string>;
}

/** Starts an entry point and resolves once its output matches `ready`; it keeps running until `stop()`. */
export function startEntryPoint(
  entry: EntryName,
  {
    env = {},
    ready,
    timeoutMs = 20_000,
  }: { env?: Record<string, string | undefined>; ready: RegExp; timeoutMs?: number },
): Promise<RunningEntryPoint> {
  const child = spawnEntryPoint(entry, { env });
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} was not ready in time:\n${output}`));
    }, timeoutMs);
    let started = false;
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (!match || started) return;
      started = true;
      clearTimeout(timer);
      resolve({
        child,
        output: () => output,
        ready: match,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`${entry} exited (${code}) before it was ready:\n${output}`));
    });
  });
}
