import { type Config, type Mode, loadConfig } from '../../src/config.js';
import { type FixturesDocument, type RunningEmulator, demoFixtures, startEmulator } from '../../src/emulator/index.js';
import { type Gateway, startGateway } from '../../src/server.js';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
}

export interface Stack {
  emulator: RunningEmulator;
  gateway: Gateway;
  config: Config;
  query<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /** AWS calls the emulator served since the last reset, by `service:Operation`. */
  calls(): Record<string, number>;
  totalCalls(): number;
  /** Zeroes the emulator's counters (what writes did stays). */
  resetCalls(): void;
  close(): Promise<void>;
}

/**
 * The gateway and the AWS emulator in this process, talking over real loopback HTTP with the real SDK clients:
 * exactly what `npm run demo` runs, on ephemeral ports.
 */
export async function startStack(
  options: {
    fixtures?: FixturesDocument;
    env?: Record<string, string>;
    /** Another stack's emulator: a second gateway replica in front of the same AWS (closed by its owner). */
    emulator?: RunningEmulator;
    /** `gateway`: the production entry point's configuration (`npm start`), signing with the emulator's keys. */
    mode?: Mode;
  } = {},
): Promise<Stack> {
  const shared = options.emulator;
  const emulator = shared ?? (await startEmulator({ port: 0, fixtures: options.fixtures ?? demoFixtures() }));
  const base = loadConfig(options.mode ?? 'demo', { PORT: '0', LOG_LEVEL: 'silent', ...options.env });
  const credentials = base.aws.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' };
  const config: Config = { ...base, aws: { ...base.aws, endpointUrl: emulator.url, credentials } };
  const gateway = await startGateway(config);
  // The gateway learnt its account at start (STS GetCallerIdentity): not any operation's cost.
  emulator.resetStats();
  return {
    emulator,
    gateway,
    config,
    async query(query, variables, headers) {
      const res = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: any; errors?: any[] };
      return { status: res.status, headers: res.headers, data: body.data, errors: body.errors };
    },
    calls: () => emulator.stats().calls,
    totalCalls: () => emulator.stats().total,
    resetCalls: () => emulator.resetStats(),
    async close() {
      await gateway.close();
      if (!shared) await emulator.close();
    },
  };
}
