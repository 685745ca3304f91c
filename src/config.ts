import { getHeapStatistics } from 'node:v8';
import { z } from 'zod';
import { AWS_REGIONS } from './aws/regions.js';
import { type ResilienceSettings, resilienceEnvShape, resilienceSettings } from './aws/resilience.js';
import { type SecuritySettings, securityEnvShape, securitySettings } from './security/settings.js';
import { type FederationSettings, federationEnvShape, federationSettings } from './federation/settings.js';
import { type WriteSettings, writeEnvShape, writeSettings } from './security/write-settings.js';
import { DEFAULT_HEAP_GROWTH_PERCENT } from './heap-policy.js';

/**
 * Every setting of the gateway, read once from the environment and command-line flags. A flag `--some-name value` (or
 * `--some-name=value`) sets the same setting as the environment variable `SOME_NAME`; flags win.
 * Problems are reported all together, and the process exits non-zero (see lifecycle.ts). The emulator's EMULATOR_*
 * settings are its own (emulator/config.ts).
 */

/** `demo` (demo.ts) is the gateway in front of the embedded emulator: its credentials, open CORS, the playground. */
export type Mode = 'gateway' | 'demo';

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().min(1);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/**
 * The caches' default bounds: 32 MiB for resources and 8 MiB for whole responses, or an eighth and a
 * thirty-second of V8's heap limit when that is smaller (a process started with `--max-old-space-size=128` has a
 * limit of about 170 MB). What a cache holds stays in the heap, which grows past its live set by HEAP_GROWTH_PERCENT
 * before a full collection: with both caches full the default gateway keeps its peak RSS under 250 MB (README,
 * "Memory"). Under load the heap also holds every request in flight and the garbage between
 * collections; caches sized for a large heap would leave a small one nothing for that.
 */
const HEAP_LIMIT = getHeapStatistics().heap_size_limit;
export const DEFAULT_CACHE_MAX_BYTES = Math.max(65_536, Math.min(32 * 1024 ** 2, Math.floor(HEAP_LIMIT / 8)));
export const DEFAULT_RESPONSE_CACHE_MAX_BYTES = Math.min(8 * 1024 ** 2, Math.floor(HEAP_LIMIT / 32));

const EnvSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  AWS_REGION: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must look like an AWS region, e.g. us-east-1')
    .optional(),
  AWS_DEFAULT_REGION: z.string().optional(),
  AWS_ENDPOINT_URL: z.url({ protocol: /^https?$/ }).optional(),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
  AWS_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, 'must be the 12 digits of an AWS account id')
    .optional(),
  AWS_ACCOUNTS: z.string().max(65_536).optional(),
  AWS_EXTERNAL_ID: z
    .string()
    .regex(/^[\w+=,.@:/-]{2,1224}$/, 'must be 2-1224 characters: letters, digits and +=,.@:/-')
    .optional(),
  AWS_ROLE_SESSION_NAME: z
    .string()
    .regex(/^[\w+=,.@-]{2,64}$/, 'must be 2-64 characters: letters, digits and +=,.@-')
    .default('aws-events-graph'),
  IGNORE_ERROR_CODES: csv.optional(),
  ALLOWED_REGIONS: csv.optional(),
  GLOBAL_REGION: z.string().optional(),
  AWS_MAX_CONCURRENCY: positiveInt.max(1024).default(16),
  AWS_CALL_TIMEOUT_MS: positiveInt.max(120_000).default(5_000),
  AWS_MAX_ATTEMPTS: positiveInt.max(10).default(3),
  DEFAULT_PAGE_SIZE: positiveInt.max(100).default(25),
  INTROSPECTION: bool.optional(),
  PLAYGROUND: bool.optional(),
  CORS_ORIGINS: csv.optional(),
  CACHE_STORE: z.enum(['memory', 'redis', 'none']).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  CACHE_MAX_ENTRIES: positiveInt.max(10_000_000).default(50_000),
  CACHE_MAX_BYTES: positiveInt
    .min(65_536)
    .max(64 * 1024 ** 3)
    .default(DEFAULT_CACHE_MAX_BYTES),
  CACHE_MAX_ENTRY_BYTES: positiveInt
    .min(1_024)
    .max(1024 ** 3)
    .optional(),
  REDIS_COMMAND_TIMEOUT_MS: positiveInt.max(60_000).default(250),
  REDIS_COOLDOWN_MS: positiveInt.max(600_000).default(5_000),
  RESPONSE_CACHE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(4 * 1024 ** 3)
    .default(DEFAULT_RESPONSE_CACHE_MAX_BYTES),
  RESPONSE_CACHE_ADMISSION: z.enum(['first', 'second']).default('second'),
  CACHE_TTLS: z.string().optional(),
  HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(400).default(DEFAULT_HEAP_GROWTH_PERCENT),
  CACHE_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'must be 1-64 word characters, colons, dots or dashes')
    .default('aws-events-graph:v1:'),
  ...resilienceEnvShape,
  ...securityEnvShape,
  ...federationEnvShape,
  ...writeEnvShape,
});

/** Every setting's environment variable, for `--help`. */
export const SETTING_NAMES: readonly string[] = Object.keys(EnvSchema.shape).filter(
  (name) => name !== 'AWS_DEFAULT_REGION',
);

/** `--aws-region` for AWS_REGION. */
export function flagOf(setting: string): string {
  return `--${setting.toLowerCase().replace(/_/g, '-')}`;
}

/** Whether the command line asks for help (`--help`, `-h`): entry points print it and exit before reading settings. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

export interface AwsSettings {
  defaultRegion: string;
  allowedRegions: ReadonlySet<string>;
  /** The region that answers for global resources (one region serves them all). */
  globalRegion: string;
  /** The gateway's own account, when configured; otherwise learnt from the security token service (caller identity). */
  accountId?: string;
  /**
   * The other accounts of the estate (AWS_ACCOUNTS), by 12-digit id: the role the gateway assumes there. The
   * default account (the gateway's own) is always part of the estate and needs no role.
   */
  memberAccounts: ReadonlyMap<string, string>;
  /** The external id sent with every role assumption, when the member roles' trust policies require one. */
  externalId?: string;
  roleSessionName: string;
  /** Error codes a list drops instead of reporting, for every list (IGNORE_ERROR_CODES; `ignoreErrors` adds). */
  ignoreErrorCodes: ReadonlySet<string>;
  endpointUrl?: string;
  /** Static credentials (the emulator's, in demo mode); otherwise the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxConcurrency: number;
  callTimeoutMs: number;
  maxAttempts: number;
  /** Retry mode, operation deadline and AWS-call budget, circuit breakers (aws/resilience.ts). */
  resilience: ResilienceSettings;
}

export interface CacheSettings {
  store: 'memory' | 'redis' | 'none';
  redisUrl?: string;
  /** Prefix of every Redis key, so several deployments can share one Redis. */
  keyPrefix: string;
  maxEntries: number;
  /** Bound of the memory store in (estimated) bytes. */
  maxBytes: number;
  /** Largest entry kept, in bytes (estimated in memory, serialised for Redis); larger ones are not stored. */
  maxEntryBytes: number;
  /** Longest wait for one Redis command before it counts as a failure. */
  redisCommandTimeoutMs: number;
  /** After a Redis failure, how long requests skip Redis; a background PING then checks whether it is back. */
  redisCooldownMs: number;
  /** Bound of the whole-response cache in bytes; 0 turns it off. */
  responseCacheBytes: number;
  /** 'second': a response is kept once its operation and variables are asked for again; 'first': at once. */
  responseCacheAdmission: 'first' | 'second';
  /** Overrides of DEFAULT_TTL_SECONDS, `<Type>.<STATE>` -> seconds. */
  ttlSeconds: Record<string, number>;
}

export interface HttpSettings {
  /** GraphiQL for browsers that open the GraphQL endpoint. */
  playground: boolean;
  /** Origins allowed to call the gateway from a browser (`*`: any); empty: no cross-origin access. */
  corsOrigins: string[];
}

export interface Config {
  mode: Mode;
  env: 'production' | 'development' | 'test';
  port: number;
  host: string;
  logLevel: string;
  aws: AwsSettings;
  defaultPageSize: number;
  introspection: boolean;
  http: HttpSettings;
  /** Limits, authentication, rate limiting, exposure (security/settings.ts). */
  security: SecuritySettings;
  /** Who may call mutations (security/write-settings.ts). */
  writes: WriteSettings;
  cache: CacheSettings;
  /** The gateway as a federated subgraph (federation/settings.ts). */
  federation: FederationSettings;
  /** How far the heap may grow past its live set before V8 collects it in full (heap-policy.ts); 0: V8's own. */
  heapGrowthPercent: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** What browsers send in `Origin`: `https://app.example.com`, `http://localhost:5173`. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

/** `--aws-region eu-west-1` -> `{ AWS_REGION: 'eu-west-1' }`; a bare `--flag` means `true`. */
export function flagsToEnv(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    const name = (eq === -1 ? arg.slice(2) : arg.slice(2, eq)).replace(/-/g, '_').toUpperCase();
    if (eq !== -1) out[name] = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) out[name] = argv[++i]!;
    else out[name] = 'true';
  }
  return out;
}

/**
 * The codes of errors a scope of a list can fail with, which `ignoreErrors` and IGNORE_ERROR_CODES may drop: the
 * `ErrorCode` enum of the schema.
 */
export const IGNORABLE_ERROR_CODES: readonly string[] = [
  'FORBIDDEN',
  'CREDENTIALS_UNAVAILABLE',
  'NOT_FOUND',
  'THROTTLED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'AWS_CALL_BUDGET_EXCEEDED',
  'RATE_LIMITED',
];

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/**
 * AWS_ACCOUNTS: `<12-digit account id>=<role ARN>` entries separated by commas; the role must be in that account.
 * Every problem is reported (the value itself only by entry number: it is configuration, not a secret, but long).
 */
function parseAccounts(value: string | undefined, problems: string[]): Map<string, string> {
  const accounts = new Map<string, string>();
  const entries = (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  entries.forEach((entry, i) => {
    const eq = entry.indexOf('=');
    const id = eq === -1 ? entry : entry.slice(0, eq).trim();
    const role = eq === -1 ? '' : entry.slice(eq + 1).trim();
    const at = `AWS_ACCOUNTS: entry ${i + 1}`;
    if (!ACCOUNT_ID.test(id)) problems.push(`${at} must start with a 12-digit account id (<account id>=<role ARN>)`);
    else if (!ROLE_ARN.exec(role)) problems.push(`${at} (${id}) needs a role ARN, arn:aws:iam::${id}:role/<name>`);
    else if (ROLE_ARN.exec(role)?.[2] !== id) problems.push(`${at} (${id}): the role must be in account ${id}`);
    else if (accounts.has(id)) problems.push(`${at}: account ${id} is listed twice`);
    else accounts.set(id, role);
  });
  return accounts;
}

export function loadConfig(
  mode: Mode,
  env: Record<string, string | undefined> = process.env,
  argv: readonly string[] = [],
): Config {
  const merged = { ...env, ...flagsToEnv(argv) };
  // Empty strings mean "unset", as shells make it easy to export VAR= by accident.
  for (const key of Object.keys(merged)) if (merged[key] === '') delete merged[key];
  const parsed = EnvSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const defaultRegion = e.AWS_REGION ?? e.AWS_DEFAULT_REGION ?? 'us-east-1';
  const allowedRegions = new Set(e.ALLOWED_REGIONS ?? AWS_REGIONS);
  if (!allowedRegions.has(defaultRegion)) problems.push(`AWS_REGION: ${defaultRegion} is not in ALLOWED_REGIONS`);
  const globalRegion = e.GLOBAL_REGION ?? defaultRegion;
  if (!allowedRegions.has(globalRegion)) {
    problems.push(`GLOBAL_REGION: ${globalRegion} is not in ALLOWED_REGIONS`);
  }
  if ((e.AWS_ACCESS_KEY_ID === undefined) !== (e.AWS_SECRET_ACCESS_KEY === undefined) && mode === 'demo') {
    problems.push('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set together');
  }
  const memberAccounts = parseAccounts(e.AWS_ACCOUNTS, problems);
  const ignoreErrorCodes = new Set(e.IGNORE_ERROR_CODES ?? []);
  for (const code of ignoreErrorCodes)
    if (!IGNORABLE_ERROR_CODES.includes(code))
      problems.push(`IGNORE_ERROR_CODES: ${code} is not one of ${IGNORABLE_ERROR_CODES.join(', ')}`);
  const store = e.CACHE_STORE ?? (e.REDIS_URL ? 'redis' : 'memory');
  if (store === 'redis' && !e.REDIS_URL) problems.push('REDIS_URL: required when CACHE_STORE=redis');
  // One entry may take at most an eighth of the cache by default, so a few huge pages cannot flush everything else.
  const maxEntryBytes = e.CACHE_MAX_ENTRY_BYTES ?? Math.min(1024 ** 2, Math.floor(e.CACHE_MAX_BYTES / 8));
  if (maxEntryBytes > e.CACHE_MAX_BYTES) problems.push('CACHE_MAX_ENTRY_BYTES: must not exceed CACHE_MAX_BYTES');
  const ttlSeconds: Record<string, number> = {};
  for (const part of (e.CACHE_TTLS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    // The states themselves are the modules'; they are checked when the cache is built (server.ts).
    const m = /^([A-Za-z]+\.[A-Z_]+)=(\d+)$/.exec(part);
    if (m?.[1]) ttlSeconds[m[1]] = Number(m[2]);
    else problems.push(`CACHE_TTLS: "${part}" is not <Type>.<STATE>=<seconds>`);
  }
  const corsOrigins = e.CORS_ORIGINS ?? (mode === 'demo' ? ['*'] : []);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !isOrigin(origin))
      problems.push(`CORS_ORIGINS: ${origin} is not an origin (scheme://host[:port], no path), nor *`);
  }
  const security = securitySettings(e, problems);
  const apiKeyNames = security.auth.apiKeys.map((k) => k.id);
  const writes = writeSettings(e, { demo: mode === 'demo', apiKeyNames }, problems);
  if (problems.length) throw new ConfigError(problems);

  const isDemo = mode === 'demo';
  return {
    mode,
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    aws: {
      defaultRegion,
      allowedRegions,
      globalRegion,
      accountId: e.AWS_ACCOUNT_ID,
      memberAccounts,
      externalId: e.AWS_EXTERNAL_ID,
      roleSessionName: e.AWS_ROLE_SESSION_NAME,
      ignoreErrorCodes,
      endpointUrl: e.AWS_ENDPOINT_URL,
      // The demo signs with the emulator's credentials; the real gateway leaves them to the default chain
      // (environment, AWS_PROFILE, SSO, container and instance roles).
      credentials: isDemo
        ? { accessKeyId: e.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: e.AWS_SECRET_ACCESS_KEY ?? 'test' }
        : undefined,
      maxConcurrency: e.AWS_MAX_CONCURRENCY,
      callTimeoutMs: e.AWS_CALL_TIMEOUT_MS,
      maxAttempts: e.AWS_MAX_ATTEMPTS,
      resilience: resilienceSettings(e),
    },
    defaultPageSize: e.DEFAULT_PAGE_SIZE,
    introspection: e.INTROSPECTION ?? (isDemo || e.NODE_ENV !== 'production'),
    http: { playground: e.PLAYGROUND ?? (isDemo || e.NODE_ENV !== 'production'), corsOrigins },
    security,
    writes,
    cache: {
      store,
      redisUrl: e.REDIS_URL,
      keyPrefix: e.CACHE_KEY_PREFIX,
      maxEntries: e.CACHE_MAX_ENTRIES,
      maxBytes: e.CACHE_MAX_BYTES,
      maxEntryBytes,
      redisCommandTimeoutMs: e.REDIS_COMMAND_TIMEOUT_MS,
      redisCooldownMs: e.REDIS_COOLDOWN_MS,
      responseCacheBytes: e.RESPONSE_CACHE_MAX_BYTES,
      responseCacheAdmission: e.RESPONSE_CACHE_ADMISSION,
      ttlSeconds,
    },
    federation: federationSettings(e),
    heapGrowthPercent: e.HEAP_GROWTH_PERCENT,
  };
}
