import type { EmulatorConfig } from './config.js';
import { demoFixtures } from './demo-data.js';
import type { FaultConfig } from './faults.js';
import { loadFixturesFile, parseFixtures, type FixturesDocument } from './fixtures.js';
import { EmulatorServer } from './server.js';
import { DEFAULT_CREDENTIALS, type EmulatorCredentials } from './sigv4.js';
import type { EmulatorStats } from './stats.js';
import { EmulatorEstate } from './store.js';

/**
 * The local AWS emulator: one HTTP server speaking the wire protocols of Customer Profiles
 * (restJson1), Personalize (awsJson1_1), Internet Monitor (restJson1) and STS (awsQuery) for the
 * operations the gateway uses, so the real SDK clients work against it unchanged
 * (`endpoint: emulator.url`). Its entry point is main.ts (`npm run emulator`).
 */

export interface StartEmulatorOptions {
  /** 0 (the default) picks a free port; `npm run emulator` uses 4566. */
  port?: number;
  /** Defaults to 127.0.0.1 (use 0.0.0.0 inside a container). */
  host?: string;
  /**
   * Either form (one account, or `accounts`). Defaults to the built-in demo data (`demoFixtures()`). Validated on
   * start.
   */
  fixtures?: FixturesDocument;
  /** Accepted long-term SigV4 key pairs, all of the fixtures' first account; defaults to one pair `test` / `test`. */
  credentials?: Array<{ accessKeyId: string; secretAccessKey: string }>;
  faults?: FaultConfig;
  /** The emulator's clock, for ListInternetEvents' default EndTime. Defaults to the system clock. */
  now?: () => Date;
}

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:54321: pass as the SDK client's `endpoint`. */
  url: string;
  port: number;
  stats(): EmulatorStats;
  /** Back to the start: the fixtures' data (every write forgotten), zero counters, the clock unmoved. */
  reset(): void;
  /** Zeroes the call counters only, keeping what writes did. */
  resetStats(): void;
  /** Moves the emulator's clock forward (trackers move through their statuses with it). */
  advanceClock(seconds: number): void;
  /** Replaces the fault config (validated; throws FaultConfigError). */
  setFaults(f: FaultConfig): void;
  clearFaults(): void;
  close(): Promise<void>;
}

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const fixtures = parseFixtures(opts.fixtures ?? demoFixtures(), 'startEmulator({ fixtures })');
  const credentials: readonly EmulatorCredentials[] = opts.credentials?.length ? opts.credentials : DEFAULT_CREDENTIALS;
  const server = new EmulatorServer({
    estate: EmulatorEstate.fromFixtures(fixtures),
    credentials,
    faults: opts.faults,
    now: opts.now,
  });
  const host = opts.host ?? '127.0.0.1';
  const address = await server.listen(opts.port ?? 0, host);
  return {
    url: `http://${urlHost(host)}:${address.port}`,
    port: address.port,
    stats: () => server.stats.snapshot(),
    reset: () => server.reset(),
    resetStats: () => server.stats.reset(),
    advanceClock: (seconds) => server.clock.advance(seconds),
    setFaults: (faults) => void server.faults.set(faults),
    clearFaults: () => server.faults.clear(),
    close: () => server.close(),
  };
}

/**
 * Starts the emulator from its settings (`loadEmulatorConfig`), as `npm run emulator` and `npm run demo` do: the
 * fixtures file of EMULATOR_FIXTURES, else the demo data. With `freePortIfTaken`, a port in use is not fatal: the demo
 * needs an emulator, not that port, so it takes a free one rather than fail.
 */
export async function startConfiguredEmulator(
  config: EmulatorConfig,
  options: { freePortIfTaken?: boolean } = {},
): Promise<RunningEmulator> {
  const settings: StartEmulatorOptions = {
    host: config.host,
    fixtures: config.fixturesPath ? loadFixturesFile(config.fixturesPath) : demoFixtures(),
    credentials: config.credentials,
    faults: config.faults,
  };
  try {
    return await startEmulator({ ...settings, port: config.port });
  } catch (error) {
    if (!options.freePortIfTaken || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.warn(`Port ${config.port} is in use; the emulator takes a free port instead.`);
    return startEmulator({ ...settings, port: 0 });
  }
}

/** A wildcard bind address is not something a client can connect to: use loopback in the URL. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export { loadFixturesFile, parseFixtures, FixturesError, fixtureAccounts, isEstateFixtures } from './fixtures.js';
export { EmulatorConfigError, loadEmulatorConfig, type EmulatorConfig } from './config.js';
export type {
  Fixtures,
  EstateFixtures,
  FixturesDocument,
  AccountFixtures,
  KinesisStreamFixture,
  RegionFixtures,
  DomainFixture,
  EventStreamFixture,
  DatasetGroupFixture,
  EventTrackerFixture,
  InternetEventFixture,
  ClientLocationFixture,
} from './fixtures.js';
export type { ValidationIssue } from './issues.js';
export * from './demo-data.js';
export { generateEstateFixtures, generateFixtures, type GenerateOptions } from './generate.js';
export { FaultConfigError, parseFaultConfig, type FaultConfig, type FaultRule } from './faults.js';
export type { EmulatorStats } from './stats.js';
export { MAX_SESSIONS } from './sessions.js';
export type { EmulatorCredentials } from './sigv4.js';
export { DEFAULT_PAGE_SIZE } from './pagination.js';
export { TRACKER_PHASES } from './lifecycle.js';
export {
  eventStreamArnFor,
  datasetGroupArnFor,
  eventTrackerArnFor,
  internetEventArnFor,
  kinesisStreamArnFor,
} from './arns.js';
export type { ServiceId, OperationName } from './services.js';
