import { createServer } from 'node:net';
import { ConfigError } from './config.js';
import type { Gateway } from './server.js';

/** What the gateway's entry points (gateway.ts, demo.ts) share: graceful shutdown and how startup failures read. */

export interface ShutdownOptions {
  /** Closed in order on SIGINT or SIGTERM; the gateway first, so in-flight operations can still reach AWS. */
  closers: ReadonlyArray<() => Promise<void>>;
  /** SHUTDOWN_TIMEOUT_MS. */
  shutdownTimeoutMs: number;
  /** Its connections still open are closed when the deadline passes. */
  gateway: Gateway;
}

/**
 * Graceful shutdown: stop accepting connections, let in-flight operations finish (their own deadline,
 * OPERATION_TIMEOUT_MS, is shorter than SHUTDOWN_TIMEOUT_MS by default), then exit 0. Past the shutdown deadline the
 * connections still open are closed and the exit status is 1, since some callers got no answer.
 */
export function exitGracefullyOnSignals({ closers, shutdownTimeoutMs, gateway }: ShutdownOptions): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(
      `${signal} received: no new connections; finishing in-flight operations (up to ${shutdownTimeoutMs} ms).`,
    );
    let forced = false;
    const deadline = setTimeout(() => {
      forced = true;
      console.error(`Shutdown deadline of ${shutdownTimeoutMs} ms reached: closing the connections still open.`);
      gateway.app.server.closeAllConnections();
      setTimeout(() => process.exit(1), 2_000).unref();
    }, shutdownTimeoutMs);
    deadline.unref();
    for (const close of closers) await close().catch((error: unknown) => console.error(error));
    clearTimeout(deadline);
    console.log(forced ? 'Stopped after the shutdown deadline.' : 'Stopped: every in-flight operation was answered.');
    process.exit(forced ? 1 : 0);
  };
  // A stray rejection must not take down every in-flight operation with it; it is a bug to fix, so it is reported.
  // Only the error's class and stack frames are printed: messages can quote upstream data.
  process.on('unhandledRejection', (reason: unknown) => {
    const frames =
      reason instanceof Error
        ? (reason.stack ?? '')
            .split('\n')
            .filter((line) => line.trimStart().startsWith('at '))
            .slice(0, 5)
            .join('\n')
        : '';
    console.error(
      `Unhandled promise rejection (${reason instanceof Error ? reason.name : typeof reason}); still serving.\n${frames}`,
    );
  });
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

export interface StartupFailureOptions {
  /** The settings that move the ports this entry point listens on, e.g. `PORT`. */
  portSettings: string;
  /** Errors of the entry point's own whose message says everything (the demo's emulator settings and fixtures). */
  isKnown?: (error: unknown) => boolean;
}

/**
 * Prints why the process could not start and exits 1: configuration problems as their list, a taken port with the
 * setting that moves it, anything else in full.
 */
export function exitOnStartupFailure(
  error: unknown,
  { portSettings, isKnown = () => false }: StartupFailureOptions,
): never {
  const { code, address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (error instanceof ConfigError || error instanceof PortInUseError || isKnown(error))
    console.error((error as Error).message);
  else if (code === 'EADDRINUSE')
    console.error(`${address}:${port} is already in use: choose another port (${portSettings}).`);
  else console.error(error);
  process.exit(1);
}

/** A port that is already taken, found before anything started. */
export class PortInUseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PortInUseError';
  }
}

/**
 * Fails with one line when `host:port` is taken, before the entry point starts anything: a second `npm run demo`
 * would otherwise start its emulator, print its address and only then fail on the gateway's port. Port 0 (any free
 * port) is always available.
 */
export async function ensurePortFree(host: string, port: number, hint: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') return;
    throw new PortInUseError(`${host}:${port} is already in use${hint}`);
  } finally {
    await new Promise((resolve) => probe.close(resolve));
  }
}
