import { type Config, loadConfig } from '../../src/config.js';
import { type GenerateOptions, generateFixtures, startEmulator } from '../../src/emulator/index.js';
import { startGateway } from '../../src/server.js';
import { type CeilingResponse, startCeiling } from '../ceiling/server.js';
import { startNaive } from '../naive/server.js';

/** The servers a benchmark runs; each can run in this process (tests) or in its own (bench/serve.ts). */
export type ServeKind = 'emulator' | 'gateway' | 'naive' | 'ceiling';
export type Implementation = Exclude<ServeKind, 'emulator'>;

export interface StartedTarget {
  url: string;
  close(): Promise<void>;
  details: Record<string, unknown>;
}

export interface TargetOptions {
  /** emulator: the generated data and the latency added to every AWS call. */
  data?: GenerateOptions;
  latencyMs?: number;
  /** gateway, naive: where AWS is. */
  endpointUrl?: string;
  /** ceiling: what to answer. */
  responses?: CeilingResponse[];
  env?: Record<string, string | undefined>;
}

/**
 * What the benchmark changes in the gateway's settings, whatever the environment says: the load generator is one
 * caller, so a per-caller limit would measure the limiter, not the gateway. That is the request rate limit, the
 * quota of AWS calls per caller, and the quota of `no-cache` requests per caller (beyond it, cold requests would be
 * answered from the caches and the cold scenarios would measure warm ones). The cursor key is the naive baseline's
 * too, so that both sign the same cursors and their answers compare equal. The query limits stay at their defaults,
 * which the dashboard (47 aliases, about 1,100 tokens) fits.
 */
export const BENCH_GATEWAY_OVERRIDES = {
  RATE_LIMIT_PER_SECOND: '0',
  CALLER_AWS_CALLS_PER_SECOND: '0',
  CALLER_NO_CACHE_PER_SECOND: '0',
  CURSOR_SECRET: 'benchmark-only-cursor-key-of-32-characters-or-more',
} as const;

/** The gateway's settings for a benchmark: those of `npm run demo`, memory cache unless the environment says otherwise. */
export function benchGatewayConfig(endpointUrl: string, env: Record<string, string | undefined> = process.env): Config {
  const base = loadConfig('demo', {
    ...env,
    ...BENCH_GATEWAY_OVERRIDES,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    CACHE_STORE: env.CACHE_STORE ?? 'memory',
  });
  return { ...base, aws: { ...base.aws, endpointUrl } };
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is required`);
  return value;
}

export async function startTarget(kind: ServeKind, options: TargetOptions): Promise<StartedTarget> {
  switch (kind) {
    case 'emulator': {
      const emulator = await startEmulator({
        port: 0,
        fixtures: generateFixtures(options.data ?? {}),
        faults: { latencyMs: options.latencyMs ?? 0 },
      });
      return { url: emulator.url, close: () => emulator.close(), details: {} };
    }
    case 'gateway': {
      const config = benchGatewayConfig(required(options.endpointUrl, 'endpointUrl'), options.env);
      const gateway = await startGateway(config);
      return {
        url: gateway.url,
        close: () => gateway.close(),
        details: {
          cacheStore: config.cache.store,
          awsMaxConcurrency: config.aws.maxConcurrency,
          env: config.env,
          overrides: BENCH_GATEWAY_OVERRIDES,
        },
      };
    }
    case 'naive': {
      const naive = await startNaive(benchGatewayConfig(required(options.endpointUrl, 'endpointUrl'), options.env));
      return { url: naive.url, close: () => naive.close(), details: {} };
    }
    case 'ceiling': {
      const ceiling = await startCeiling(required(options.responses, 'responses'));
      return { url: ceiling.url, close: () => ceiling.close(), details: {} };
    }
  }
}
