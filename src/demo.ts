import { ConfigError, type Config, flagOf, loadConfig, wantsHelp } from './config.js';
import {
  DEMO_MEMBER_ACCOUNT_ID,
  DEMO_MEMBER_ROLE_ARN,
  EmulatorConfigError,
  type EmulatorConfig,
  FixturesError,
  loadEmulatorConfig,
  startConfiguredEmulator,
} from './emulator/index.js';
import { ensurePortFree, exitGracefullyOnSignals, exitOnStartupFailure } from './lifecycle.js';
import { startGateway } from './server.js';
import { HELP_FLAG_LINE, settingsHelp } from './usage.js';

/**
 * The demo's entry point (`npm run demo`, bundled as dist/demo.js): the AWS emulator with the demo data (or
 * EMULATOR_FIXTURES) and the gateway pointed at it, in one process; no AWS account needed. Both read their usual
 * settings: the gateway's (config.ts, in its demo flavour) and the emulator's EMULATOR_* (emulator/config.ts).
 */

/**
 * The demo data spans two accounts: the gateway's own and a member one, reached by assuming the role the emulator
 * knows there. Unless AWS_ACCOUNTS or other fixtures are given, the demo gateway is configured for both, so that
 * `accounts: ["*"]` shows the two.
 */
function withDemoEstate(
  env: Record<string, string | undefined>,
  argv: readonly string[],
): Record<string, string | undefined> {
  const given = (name: string) => env[name] || argv.some((a) => a === flagOf(name) || a.startsWith(`${flagOf(name)}=`));
  if (given('AWS_ACCOUNTS') || given('EMULATOR_FIXTURES')) return env;
  return { ...env, AWS_ACCOUNTS: `${DEMO_MEMBER_ACCOUNT_ID}=${DEMO_MEMBER_ROLE_ARN}` };
}

/** Both configurations, with the problems of both reported together. */
function loadConfigs(
  env: Record<string, string | undefined>,
  argv: readonly string[],
): { gateway: Config; emulator: EmulatorConfig } {
  const problems: string[] = [];
  let gateway: Config | undefined;
  let emulator: EmulatorConfig | undefined;
  try {
    gateway = loadConfig('demo', withDemoEstate(env, argv), argv);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  try {
    emulator = loadEmulatorConfig(env, argv);
  } catch (error) {
    if (!(error instanceof EmulatorConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (!gateway || !emulator) throw new ConfigError(problems);
  return { gateway, emulator };
}

const USAGE = `Usage: npm run demo [-- --setting value ...]   (node dist/demo.js [--setting value ...])

The AWS emulator with demo data (or EMULATOR_FIXTURES) and the gateway pointed at it, in one process: no AWS
account needed. Serves http://HOST:PORT/graphql (the playground in a browser) and the emulator on EMULATOR_PORT
(a free port if that one is taken).

${settingsHelp()}

Emulator settings (npm run emulator -- --help): EMULATOR_PORT, EMULATOR_HOST, EMULATOR_FIXTURES,
EMULATOR_CREDENTIALS, EMULATOR_FAULTS.

${HELP_FLAG_LINE}`;

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    console.log(USAGE);
    return;
  }
  const configs = loadConfigs(process.env, process.argv.slice(2));
  // Before the emulator starts: with the gateway's port taken (another demo running, most likely) nothing starts.
  const { host, port } = configs.gateway;
  await ensurePortFree(
    host,
    port,
    ` (another npm run demo? its playground would be http://${host}:${port}/graphql): stop it, or choose another ` +
      `port, e.g. PORT=${port + 1} npm run demo.`,
  );
  // The demo needs an emulator, not port 4566 in particular: a taken port is no reason to fail.
  const emulator = await startConfiguredEmulator(configs.emulator, { freePortIfTaken: true });
  const config: Config = { ...configs.gateway, aws: { ...configs.gateway.aws, endpointUrl: emulator.url } };
  const gateway = await startGateway(config);
  // Before the ready lines: whoever waits for them may send a signal at once.
  exitGracefullyOnSignals({
    closers: [() => gateway.close(), () => emulator.close()],
    shutdownTimeoutMs: config.security.shutdownTimeoutMs,
    gateway,
  });
  const data = configs.emulator.fixturesPath ? `the fixtures of ${configs.emulator.fixturesPath}` : 'demo data';
  console.log(`AWS emulator listening at ${emulator.url} (stats: ${emulator.url}/_emulator/stats)`);
  console.log(`GraphQL gateway ready at ${gateway.url} backed by the embedded AWS emulator with ${data}`);
  if (config.http.playground) console.log(`Playground: open ${gateway.url} in a browser.`);
  console.log(
    `Try: curl -s ${gateway.url} -H 'content-type: application/json' -d '{"query":"{ internetEvents(first: 3) { nodes { eventId status clientLocation { city country } } } }"}'`,
  );
}

main().catch((error: unknown) =>
  exitOnStartupFailure(error, {
    portSettings: 'PORT, EMULATOR_PORT',
    isKnown: (e) => e instanceof FixturesError,
  }),
);
