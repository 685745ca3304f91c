import { type Config, ConfigError, type Mode, loadConfig } from './config.js';
import { type RunningEmulator, demoFixtures, loadFixturesFile, startEmulator } from './emulator/index.js';
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
  try {
    return await startEmulator({ port: config.emulator.port, host: config.emulator.host, fixtures });
  } catch (error) {
    // In the demo the emulator's port is a convenience, not a contract: take any free one rather than fail.
    if (config.mode === 'demo' && (error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.warn(`Port ${config.emulator.port} is in use; the embedded emulator takes a free port instead.`);
      return startEmulator({ port: 0, host: config.emulator.host, fixtures });
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
    if (mode === 'demo') {
      console.log(`Try: curl -s ${gateway.url} -H 'content-type: application/json' -d '{"query":"{ internetEvents(first: 3) { nodes { eventId status clientLocation { city country } } } }"}'`);
    }
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, shutting down.`);
    for (const close of closers) await close().catch((error: unknown) => console.error(error));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
