import { loadConfig, wantsHelp } from './config.js';
import { ensurePortFree, exitGracefullyOnSignals, exitOnStartupFailure } from './lifecycle.js';
import { startGateway } from './server.js';
import { HELP_FLAG_LINE, settingsHelp } from './usage.js';

/**
 * The gateway's entry point (`npm start`, bundled as dist/gateway.js, what the container runs):
 *
 *   node dist/gateway.js [--flag value ...]
 *
 * The GraphQL gateway against AWS, with the SDK's default credential chain (AWS_ENDPOINT_URL points it at an emulator).
 * It contains no emulator code and no demo data: `npm run demo` (demo.ts) is the entry point that runs both.
 */
const USAGE = `Usage: npm start [-- --setting value ...]   (node dist/gateway.js [--setting value ...])

The GraphQL gateway over the AWS event resources of its modules, against AWS with the SDK's default
credentials (AWS_PROFILE, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a role), or against an emulator with
AWS_ENDPOINT_URL. Serves http://HOST:PORT/graphql; GET / lists the endpoints.

${settingsHelp()}

${HELP_FLAG_LINE}`;

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    console.log(USAGE);
    return;
  }
  const config = loadConfig('gateway', process.env, process.argv.slice(2));
  await ensurePortFree(
    config.host,
    config.port,
    `: stop what uses it, or choose another port (PORT=${config.port + 1}).`,
  );
  const gateway = await startGateway(config);
  // Before the ready line: whoever waits for it may send a signal at once.
  exitGracefullyOnSignals({
    closers: [() => gateway.close()],
    shutdownTimeoutMs: config.security.shutdownTimeoutMs,
    gateway,
  });
  // Honest about where calls go: an emulator (docker compose, tests) is not AWS.
  const target = config.aws.endpointUrl
    ? `against the AWS endpoint ${config.aws.endpointUrl} (AWS_ENDPOINT_URL), not AWS itself`
    : 'against AWS';
  console.log(`GraphQL gateway ready at ${gateway.url} ${target} (default region ${config.aws.defaultRegion})`);
  if (config.http.playground) console.log(`Playground: open ${gateway.url} in a browser.`);
}

main().catch((error: unknown) => exitOnStartupFailure(error, { portSettings: 'PORT' }));
