import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Settings for limits, authentication, rate limiting and exposure, merged into config.ts's schema. Production
 * (NODE_ENV=production) changes some defaults: see `securitySettings`.
 */

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');
const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export const securityEnvShape = {
  MAX_QUERY_BYTES: int(64, 1_048_576).default(16_384),
  MAX_BODY_BYTES: int(1_024, 64 * 1_048_576).default(262_144),
  MAX_DEPTH: int(1, 1_000).default(10),
  MAX_ALIASES: int(0, 10_000).default(100),
  MAX_TOKENS: int(10, 1_000_000).default(5_000),
  MAX_DIRECTIVES: int(0, 10_000).default(20),
  MAX_COMPLEXITY: int(1, 100_000_000).default(50_000),
  MAX_LIST_IDS: int(1, 10_000).default(100),
  MAX_ENTITIES: int(1, 100_000).default(500),
  MAX_SELECTIONS: int(1, 100_000).default(200),
  MAX_FIELD_REPEATS: int(1, 100_000).default(10),
  MAX_INTROSPECTION_DEPTH: int(1, 1_000).default(20),
  MAX_INTROSPECTION_BYTES: int(1_024, 1024 ** 3).default(1_048_576),
  API_KEYS: csv.optional(),
  JWKS_FILE: z.string().min(1).optional(),
  JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: csv.optional(),
  JWT_ALGORITHMS: csv.optional(),
  JWT_MAX_AGE_S: int(60, 31_536_000).default(86_400),
  AUTH_FAILURE_LIMIT: int(0, 1_000_000).default(10),
  RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).max(1_000_000).optional(),
  RATE_LIMIT_BURST: int(1, 10_000_000).optional(),
  TRUST_PROXY: z.string().optional(),
  CSRF_PREVENTION: bool.optional(),
  SHUTDOWN_TIMEOUT_MS: int(0, 600_000).default(15_000),
  REQUEST_TIMEOUT_MS: int(1_000, 3_600_000).default(30_000),
  HEADERS_TIMEOUT_MS: int(1_000, 3_600_000).default(10_000),
  KEEP_ALIVE_TIMEOUT_MS: int(1_000, 3_600_000).default(72_000),
  MAX_CONNECTIONS: int(0, 1_000_000).default(1_024),
  CALLER_NO_CACHE_PER_SECOND: z.coerce.number().min(0).max(1_000_000).optional(),
  CALLER_NO_CACHE_BURST: int(1, 10_000_000).optional(),
  CACHE_PUBLIC_WITH_CREDENTIALS: bool.optional(),
  FEDERATION_SDL: bool.optional(),
  FEDERATION_SDL_CALLERS: csv.optional(),
  CURSOR_SECRET: csv.optional(),
};

const securityEnvSchema = z.object(securityEnvShape);
type SecurityEnv = z.output<typeof securityEnvSchema> & {
  NODE_ENV: 'production' | 'development' | 'test';
};

export interface LimitSettings {
  maxQueryBytes: number;
  maxBodyBytes: number;
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** graphql-armor's structural cost (response size): objects, scalars, `first`-weighted lists. */
  maxComplexity: number;
  /** Longest `ids` list (nodes). */
  maxListIds: number;
  /** Distinct keys one `_entities` field resolves (routers send one reference per parent, duplicates included). */
  maxEntities: number;
  /** Most selections in one selection set, its inline fragments and spread fragments counted in. */
  maxSelections: number;
  /** Most selections of one response key in one selection set (`{ a a a }`, fragments included). */
  maxFieldRepeats: number;
  /** Deepest introspection selection (`__schema { types { fields { type { ofType ... } } } }`). */
  maxIntrospectionDepth: number;
  /** Largest serialised `data` of an operation that selects `__schema` or `__type`. */
  maxIntrospectionBytes: number;
}

export interface ApiKeyEntry {
  /** Names the caller in rate limits and logs; never the key itself. */
  id: string;
  /** SHA-256 of the key, 32 bytes. */
  sha256: Buffer;
}

export interface JwtSettings {
  jwksFile?: string;
  jwks?: { keys: Array<Record<string, unknown>> };
  jwksUrl?: string;
  issuer: string;
  audience: string[];
  algorithms: string[];
  /** Longest lifetime a token may claim (`exp` - `iat`, and `exp` - now), in seconds. */
  maxAgeSeconds: number;
}

export interface AuthSettings {
  /** Authentication is on when API keys or a JWKS are configured. */
  enabled: boolean;
  apiKeys: ApiKeyEntry[];
  jwt?: JwtSettings;
  /** Failed authentications one client address may make per minute before it is refused for a while; 0: off. */
  failuresPerMinute: number;
}

export interface HttpServerSettings {
  /** Time to receive a whole request, headers and body (Node's `requestTimeout`). */
  requestTimeoutMs: number;
  /** Time to receive a request's headers (Node's `headersTimeout`); at most `requestTimeoutMs`. */
  headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Open connections beyond which new ones are closed at once; 0: no cap. */
  maxConnections: number;
}

export interface FederationSettings {
  /** `_service { sdl }` for every caller; otherwise only for `sdlCallers`. */
  sdlForEveryone: boolean;
  /** Caller ids (`key:<API key name>`, `jwt:<subject>`) that may read the SDL whatever `sdlForEveryone` says. */
  sdlCallers: ReadonlySet<string>;
}

export interface RateLimitSettings {
  /** Requests per second per caller (token refill rate); 0: no rate limit. */
  perSecond: number;
  burst: number;
}

export interface SecuritySettings {
  limits: LimitSettings;
  auth: AuthSettings;
  rateLimit: RateLimitSettings;
  /**
   * Which hops of X-Forwarded-For to trust for the client address (see `parseTrustProxy`): none (false), the
   * nearest N, or those whose address is in a list; the client is the right-most address that is not trusted.
   */
  trustProxy: TrustProxy;
  csrfPrevention: boolean;
  shutdownTimeoutMs: number;
  server: HttpServerSettings;
  /** `Cache-Control: no-cache` honoured at most this often per caller; beyond it the caches answer. 0: always. */
  noCache: RateLimitSettings;
  /** Answers to requests with credentials stay `public` for shared caches (the data does not depend on the caller). */
  publicCacheWithCredentials: boolean;
  federation: FederationSettings;
  /** Keys that sign cursors: the first signs, every one verifies (rotation); generated when not configured. */
  cursorSecrets: string[];
  /** True when `cursorSecrets` was generated for this process (cursors then die with it). */
  cursorSecretGenerated: boolean;
}

/** `false`: the socket's peer is the client. A number: that many hops (the peer first) are proxies. A list: the
 * addresses, CIDRs or proxy-addr names (`loopback`, `linklocal`, `uniquelocal`) of trusted proxies. */
export type TrustProxy = false | number | string[];

const PROXY_ADDRESS_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(entry: string): boolean {
  if (PROXY_ADDRESS_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  // proxy-addr also takes an IPv4 netmask (10.0.0.0/255.0.0.0).
  if (family === 4 && isIP(prefix) === 4) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY. `true` is refused: fastify would then trust every hop and take the left-most X-Forwarded-For
 * entry, which the client itself writes, so anyone could pick their own rate-limit key. The client address is
 * the right-most untrusted one, so the setting says how many hops, or which addresses, are proxies of ours.
 */
export function parseTrustProxy(value: string | undefined, problems: string[]): TrustProxy {
  const text = value?.trim().toLowerCase();
  if (text === undefined || ['false', 'no', 'off', '0'].includes(text)) return false;
  if (['true', 'yes', 'on'].includes(text)) {
    problems.push(
      'TRUST_PROXY: true would trust X-Forwarded-For entries the client writes itself; give the number of proxies ' +
        'in front of the gateway (e.g. 1) or their addresses or CIDRs (e.g. 10.0.0.0/8)',
    );
    return false;
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 32) problems.push('TRUST_PROXY: at most 32 proxy hops');
    return hops;
  }
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !isProxyAddress(entry));
  if (bad.length || entries.length === 0) {
    problems.push(
      'TRUST_PROXY: must be false, a hop count, or a comma list of IP addresses, CIDRs, loopback, linklocal or uniquelocal',
    );
    return false;
  }
  return entries;
}

/** Asymmetric algorithms only: a JWKS holds public keys, and accepting HS* would let a public key act as a secret. */
const DEFAULT_JWT_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

const API_KEY_ENTRY = /^(?:([A-Za-z0-9][A-Za-z0-9._-]{0,63})=)?sha256:([0-9a-fA-F]{64})$/;

function parseApiKeys(entries: string[], problems: string[]): ApiKeyEntry[] {
  const keys: ApiKeyEntry[] = [];
  entries.forEach((entry, i) => {
    const match = API_KEY_ENTRY.exec(entry);
    // The entry is never echoed: a key pasted here by mistake instead of its hash must not end up in logs.
    if (!match) {
      problems.push(`API_KEYS: entry ${i + 1} must be sha256:<64 hex digits>, optionally prefixed with <name>=`);
      return;
    }
    const hex = match[2]!.toLowerCase();
    keys.push({ id: match[1] ?? `key-${hex.slice(0, 8)}`, sha256: Buffer.from(hex, 'hex') });
  });
  const ids = keys.map((k) => k.id);
  if (new Set(ids).size !== ids.length) problems.push('API_KEYS: names must be unique');
  return keys;
}

function readJwks(path: string, problems: string[]): JwtSettings['jwks'] {
  try {
    const jwks = JSON.parse(readFileSync(path, 'utf8')) as { keys?: unknown };
    if (!Array.isArray(jwks.keys) || jwks.keys.length === 0 || !jwks.keys.every((k) => k && typeof k === 'object')) {
      problems.push('JWKS_FILE: must hold a JSON Web Key Set ({"keys": [...]}) with at least one key');
      return undefined;
    }
    if (jwks.keys.some((k) => 'd' in (k as object)))
      problems.push('JWKS_FILE: holds a private key; publish only public keys');
    return jwks as JwtSettings['jwks'];
  } catch (error) {
    problems.push(`JWKS_FILE: cannot be read as JSON (${(error as NodeJS.ErrnoException).code ?? 'invalid JSON'})`);
    return undefined;
  }
}

/**
 * The key of a process without CURSOR_SECRET: every gateway in the process shares it (tests run several), and its
 * cursors die with the process and are not understood by other replicas.
 */
const processCursorSecret = randomBytes(32).toString('base64url');

export function securitySettings(e: SecurityEnv, problems: string[]): SecuritySettings {
  const production = e.NODE_ENV === 'production';
  const apiKeys = parseApiKeys(e.API_KEYS ?? [], problems);

  let jwt: JwtSettings | undefined;
  if (e.JWKS_FILE && e.JWKS_URL) problems.push('JWKS_FILE and JWKS_URL: set one, not both');
  if (e.JWKS_FILE || e.JWKS_URL) {
    if (!e.JWT_ISSUER) problems.push('JWT_ISSUER: required when JWKS_FILE or JWKS_URL is set');
    if (!e.JWT_AUDIENCE?.length) problems.push('JWT_AUDIENCE: required when JWKS_FILE or JWKS_URL is set');
    const algorithms = e.JWT_ALGORITHMS ?? DEFAULT_JWT_ALGORITHMS;
    const symmetric = algorithms.filter((a) => !DEFAULT_JWT_ALGORITHMS.includes(a));
    if (symmetric.length) problems.push(`JWT_ALGORITHMS: only ${DEFAULT_JWT_ALGORITHMS.join(', ')} are accepted`);
    jwt = {
      jwksFile: e.JWKS_FILE,
      jwks: e.JWKS_FILE ? readJwks(e.JWKS_FILE, problems) : undefined,
      jwksUrl: e.JWKS_URL,
      issuer: e.JWT_ISSUER ?? '',
      audience: e.JWT_AUDIENCE ?? [],
      algorithms,
      maxAgeSeconds: e.JWT_MAX_AGE_S,
    };
  } else if (e.JWT_ISSUER || e.JWT_AUDIENCE) {
    problems.push('JWT_ISSUER/JWT_AUDIENCE: set JWKS_FILE or JWKS_URL too, or tokens cannot be verified');
  }

  const perSecond = e.RATE_LIMIT_PER_SECOND ?? (production ? 50 : 0);
  if (e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS)
    problems.push('HEADERS_TIMEOUT_MS: must not exceed REQUEST_TIMEOUT_MS (the headers are part of the request)');
  const noCachePerSecond = e.CALLER_NO_CACHE_PER_SECOND ?? (production ? 1 : 0);
  const weakSecret = (e.CURSOR_SECRET ?? []).some((secret) => secret.length < 32);
  if (weakSecret)
    problems.push('CURSOR_SECRET: every key must be at least 32 characters (e.g. openssl rand -base64 32)');
  const cursorSecrets = e.CURSOR_SECRET?.length ? e.CURSOR_SECRET : [processCursorSecret];
  const sdlCallers = e.FEDERATION_SDL_CALLERS ?? [];
  if (sdlCallers.some((id) => !/^(key|jwt):\S{1,256}$/.test(id)))
    problems.push('FEDERATION_SDL_CALLERS: callers are key:<API key name> or jwt:<subject>, comma-separated');
  return {
    limits: {
      maxQueryBytes: e.MAX_QUERY_BYTES,
      maxBodyBytes: e.MAX_BODY_BYTES,
      maxDepth: e.MAX_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxTokens: e.MAX_TOKENS,
      maxDirectives: e.MAX_DIRECTIVES,
      maxComplexity: e.MAX_COMPLEXITY,
      maxListIds: e.MAX_LIST_IDS,
      maxEntities: e.MAX_ENTITIES,
      maxSelections: e.MAX_SELECTIONS,
      maxFieldRepeats: e.MAX_FIELD_REPEATS,
      maxIntrospectionDepth: e.MAX_INTROSPECTION_DEPTH,
      maxIntrospectionBytes: e.MAX_INTROSPECTION_BYTES,
    },
    auth: {
      enabled: apiKeys.length > 0 || jwt !== undefined,
      apiKeys,
      jwt,
      failuresPerMinute: e.AUTH_FAILURE_LIMIT,
    },
    rateLimit: { perSecond, burst: e.RATE_LIMIT_BURST ?? Math.max(1, Math.ceil(perSecond * 2)) },
    trustProxy: parseTrustProxy(e.TRUST_PROXY, problems),
    csrfPrevention: e.CSRF_PREVENTION ?? true,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    server: {
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      headersTimeoutMs: e.HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.MAX_CONNECTIONS,
    },
    noCache: {
      perSecond: noCachePerSecond,
      burst: e.CALLER_NO_CACHE_BURST ?? Math.max(1, Math.ceil(noCachePerSecond * 5)),
    },
    publicCacheWithCredentials: e.CACHE_PUBLIC_WITH_CREDENTIALS ?? false,
    federation: {
      sdlForEveryone: e.FEDERATION_SDL ?? !production,
      sdlCallers: new Set(sdlCallers),
    },
    cursorSecrets,
    cursorSecretGenerated: !e.CURSOR_SECRET?.length,
  };
}
