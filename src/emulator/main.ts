import { EmulatorConfigError, loadEmulatorConfig } from './config.js';
import { FixturesError } from './fixtures.js';
import { startConfiguredEmulator } from './index.js';

/**
 * The emulator's entry point (`npm run emulator`, bundled as dist/emulator.js):
 *
 *   node dist/emulator.js [--emulator-port 4566] [--emulator-host 127.0.0.1] [--emulator-fixtures file.json] ...
 *
 * Settings: EMULATOR_PORT, EMULATOR_HOST, EMULATOR_FIXTURES, EMULATOR_CREDENTIALS, EMULATOR_FAULTS (config.ts).
 * SIGINT or SIGTERM closes the server and exits 0.
 */
const USAGE = `Usage: npm run emulator [-- --setting value ...]   (node dist/emulator.js [--setting value ...])

The local AWS emulator: Customer Profiles, Personalize, Internet Monitor and STS GetCallerIdentity on one port,
for the real SDK clients (endpoint: http://EMULATOR_HOST:EMULATOR_PORT), with the demo data or your fixtures.

Every setting is an environment variable or the matching flag (flags win): --emulator-port 4567 equals
EMULATOR_PORT=4567.

Settings:
  EMULATOR_PORT          --emulator-port          port to listen on (default 4566; 0 picks a free one)
  EMULATOR_HOST          --emulator-host          interface (default 127.0.0.1; 0.0.0.0 in a container)
  EMULATOR_FIXTURES      --emulator-fixtures      fixtures JSON file (default: the built-in demo data)
  EMULATOR_CREDENTIALS   --emulator-credentials   accepted key pairs, AKID:SECRET[,AKID2:SECRET2] (default test:test)
  EMULATOR_FAULTS        --emulator-faults        faults from the start, JSON as for PUT /_emulator/faults

Admin endpoints (unsigned): GET /_emulator/stats, POST /_emulator/reset, GET|PUT|DELETE /_emulator/faults,
GET /_emulator/health.

  -h, --help             this text`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const config = loadEmulatorConfig(process.env, argv);
  const emulator = await startConfiguredEmulator(config);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Printed once a signal can stop it cleanly: whoever waits for this line may send one at once.
  console.log(`AWS emulator listening at ${emulator.url} (stats: ${emulator.url}/_emulator/stats)`);
}

main().catch((error: unknown) => {
  const { code, address, port } = error as NodeJS.ErrnoException & { address?: string; port?: number };
  if (error instanceof EmulatorConfigError || error instanceof FixturesError) console.error(error.message);
  else if (code === 'EADDRINUSE')
    console.error(`${address}:${port} is already in use: choose another port (EMULATOR_PORT).`);
  else console.error(error);
  process.exit(1);
});
