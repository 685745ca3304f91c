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
async function main(): Promise<void> {
  const config = loadEmulatorConfig(process.env, process.argv.slice(2));
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
