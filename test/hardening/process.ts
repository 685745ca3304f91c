import { type ChildProcess, spawn } from 'node:child_process';
import { spawnEntryPoint } from '../helpers/cli.js';

/** The real demo entry point (`src/demo.ts`) in a child process, with its output kept for inspection. */
export interface GatewayProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  gatewayUrl: string;
  emulatorUrl: string;
  /** Resolves with the exit code (or the signal's name when killed by one). */
  exited: Promise<number | string>;
  stop(): Promise<number | string>;
}

const READY = /GraphQL gateway ready at (http:\/\/\S+)/;
const EMULATOR = /AWS emulator listening at (http:\/\/\S+?)[\s(]/;

/** Starts the demo on ephemeral ports and resolves once it prints where it listens. */
export function startDemoProcess(env: Record<string, string> = {}, timeoutMs = 20_000): Promise<GatewayProcess> {
  const child = spawnEntryPoint('demo', { env: { PORT: '0', EMULATOR_PORT: '0', LOG_LEVEL: 'warn', ...env } });
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the gateway did not start in time:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = READY.exec(output);
      const emulator = EMULATOR.exec(output);
      if (ready && emulator) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
        resolve({
          child,
          output: () => output,
          gatewayUrl: ready[1]!,
          emulatorUrl: emulator[1]!,
          exited,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${code}) before it was ready:\n${output}`));
    });
  });
}

/** The real gateway entry point (`src/gateway.ts`) in a child process, against `endpointUrl` (an emulator). */
export interface GatewayOnlyProcess {
  child: ChildProcess;
  output(): string;
  gatewayUrl: string;
  exited: Promise<number | string>;
  stop(): Promise<number | string>;
}

export function startGatewayProcess(
  endpointUrl: string,
  options: { env?: Record<string, string>; nodeArgs?: readonly string[]; bundle?: string } = {},
  timeoutMs = 20_000,
): Promise<GatewayOnlyProcess> {
  const env = options.env ?? {};
  const childEnv = {
    ...process.env,
    PORT: '0',
    LOG_LEVEL: 'warn',
    AWS_ENDPOINT_URL: endpointUrl,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    ...env,
  };
  // A built bundle runs as `npm start` runs it; otherwise the sources, through tsx.
  const child = options.bundle
    ? spawn(process.execPath, [...(options.nodeArgs ?? []), options.bundle], {
        env: childEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawnEntryPoint('gateway', { env: childEnv });
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the gateway did not start in time:\n${output}`));
    }, timeoutMs);
    const onData = () => {
      const ready = READY.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        child,
        output: () => output,
        gatewayUrl: ready[1]!,
        exited,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited (${code}) before it was ready:\n${output}`));
    });
  });
}
