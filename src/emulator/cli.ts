import { loadFixturesFile, startEmulator, type RunningEmulator } from './index.js';

/**
 * `npm run emulator`: starts the emulator from the environment and runs until SIGINT/SIGTERM.
 *   EMULATOR_PORT         default 4566
 *   EMULATOR_HOST         default 127.0.0.1 (0.0.0.0 in a container)
 *   EMULATOR_FIXTURES     path to a fixtures JSON file; default: the built-in demo data
 *   EMULATOR_CREDENTIALS  accepted key pairs "AKID:SECRET[,AKID2:SECRET2]"; default test:test
 *   EMULATOR_FAULTS       a fault config as JSON, e.g. {"latencyMs":25}
 */
export async function runEmulatorFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<RunningEmulator> {
  const port = env.EMULATOR_PORT === undefined || env.EMULATOR_PORT === '' ? 4566 : Number(env.EMULATOR_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`EMULATOR_PORT must be a port number (0-65535), got "${env.EMULATOR_PORT}"`);
  }
  const credentials = env.EMULATOR_CREDENTIALS ? parseCredentials(env.EMULATOR_CREDENTIALS) : undefined;
  const emulator = await startEmulator({
    port,
    host: env.EMULATOR_HOST || '127.0.0.1',
    fixtures: env.EMULATOR_FIXTURES ? loadFixturesFile(env.EMULATOR_FIXTURES) : undefined,
    credentials,
    faults: env.EMULATOR_FAULTS ? parseJsonEnv('EMULATOR_FAULTS', env.EMULATOR_FAULTS) : undefined,
  });
  process.stdout.write(
    `AWS emulator listening on ${emulator.url} (Customer Profiles, Personalize, Internet Monitor; ` +
      `fixtures: ${env.EMULATOR_FIXTURES || 'built-in demo data'}; admin: ${emulator.url}/_emulator/stats)\n`,
  );

  const stop = (signal: NodeJS.Signals) => {
    process.stdout.write(`AWS emulator stopping (${signal})\n`);
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return emulator;
}

function parseJsonEnv(name: string, text: string): never | Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${name} must be JSON: ${(error as Error).message}`);
  }
}

function parseCredentials(text: string): Array<{ accessKeyId: string; secretAccessKey: string }> {
  return text.split(',').map((pair) => {
    const separator = pair.indexOf(':');
    if (separator <= 0 || separator === pair.length - 1) {
      throw new Error('EMULATOR_CREDENTIALS must look like "AKID:SECRET[,AKID2:SECRET2]"');
    }
    return { accessKeyId: pair.slice(0, separator).trim(), secretAccessKey: pair.slice(separator + 1).trim() };
  });
}
