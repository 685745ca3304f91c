import { type Config, ConfigError, type Mode, loadConfig } from './config.js';
import { type RunningEmulator, demoFixtures, loadFixturesFile, parseFaultConfig, startEmulator } from './emulator/index.js';
import { type Gateway, startGateway } from './server.js';

/**
 * `tsx src/main.ts <gateway|demo|emulator> [--flag value ...]`
 *  - gateway:  the GraphQL gateway against real AWS (default credential chain; AWS_ENDPOINT_URL for an emulator)
 *  - demo:     the embedded AWS emulator with demo data, and the gateway pointed at it; no AWS account needed
 *  - emulator: the AWS emulator alone
 */
const MODES: readonly Mode[] = ['gateway', 'demo', 'emulator'];

async function startEmulatorFor(config: Config): Promise<RunningEmulator> {
  const fixtures = config.emulator.fixturesPath ? loadFixturesFile(config.emulator.fixturesPath) : demoFixtures();
  const options = {
    host: config.emulator.host,
    fixtures,
    credentials: config.emulator.credentials,
    faults: config.emulator.faults === undefined ? undefined : parseFaultConfig(config.emulator.faults),
  };
  try {
    return await startEmulator({ ...options, port: config.emulator.port });
  } catch (error) {
    // In the demo the emulator's port is a convenience, not a contract: take any free one rather than fail.
    if (config.mode === 'demo' && (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.warn(`Port ${config.emulator.port} is in use; the embedded emulator takes a free port instead.`);
      return startEmulator({ ...options, port: 0 });
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const [modeArg = 'gateway', ...flags] = process.argv.slice(2);
  if (!MODES.includes(modeArg as Mode)) {
    console.error(`Unknown mode "${modeArg}". Use one of: ${MODES.join(', ')}.`);
    process.exit(2);
  }
  const mode = modeArg as Mode;
  let config = loadConfig(mode, process.env, flags);
  const closers: Array<() => Promise<void>> = [];

  let emulator: RunningEmulator | undefined;
  if (mode === 'demo' || mode === 'emulator') {
    emulator = await startEmulatorFor(config);
    closers.push(() => emulator!.close());
    console.log(`AWS emulator listening at ${emulator.url} (stats: ${emulator.url}/_emulator/stats)`);
  }

  let gateway: Gateway | undefined;
  if (mode === 'demo' || mode === 'gateway') {
    if (emulator) config = { ...config, aws: { ...config.aws, endpointUrl: emulator.url } };
    gateway = await startGateway(config);
    closers.unshift(() => gateway!.close());
    const where = mode === 'demo' ? 'backed by the embedded AWS emulator with demo data' : `against AWS (default region ${config.aws.defaultRegion})`;
    console.log(`GraphQL gateway ready at ${gateway.url} ${where}`);
    if (config.http.playground) console.log(`Playground: open ${gateway.url} in a browser.`);
    if (mode === 'demo') {
      console.log(`Try: curl -s ${gateway.url} -H 'content-type: application/json' -d '{"query":"{ internetEvents(first: 3) { nodes { eventId status clientLocation { city country } } } }"}'`);
    }
  }

  // Graceful shutdown: stop accepting connections, let in-flight operations finish (their own deadline,
  // OPERATION_TIMEOUT_MS, is shorter than SHUTDOWN_TIMEOUT_MS by default), then exit 0. Past the shutdown deadline the
  // connections still open are closed and the exit status is 1, since some callers got no answer.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const { shutdownTimeoutMs } = config.security;
    console.log(`${signal} received: no new connections; finishing in-flight operations (up to ${shutdownTimeoutMs} ms).`);
    let forced = false;
    const deadline = setTimeout(() => {
      forced = true;
      console.error(`Shutdown deadline of ${shutdownTimeoutMs} ms reached: closing the connections still open.`);
      gateway?.app.server.closeAllConnections();
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
    const frames = reason instanceof Error ? (reason.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 5).join('\n') : '';
    console.error(`Unhandled promise rejection (${reason instanceof Error ? reason.name : typeof reason}); still serving.\n${frames}`);
  });
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const { code, address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (error instanceof ConfigError) console.error(error.message);
  else if (code === 'EADDRINUSE') console.error(`${address}:${port} is already in use: choose another port (PORT, EMULATOR_PORT).`);
  else console.error(error);
  process.exit(1);
});
