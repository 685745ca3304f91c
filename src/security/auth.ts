import { createHash, timingSafeEqual } from 'node:crypto';
import { type JWTVerifyGetKey, createLocalJWKSet, createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { AuthSettings } from './settings.js';
import type { WriteSettings } from './write-settings.js';

/**
 * Optional authentication, off unless API keys or a JWKS are configured:
 *  - API keys, sent as `x-api-key: <key>` or `Authorization: ApiKey <key>`, stored in configuration only as SHA-256
 *    hashes (keys are long random strings, so a fast hash is enough; nothing to brute-force) and compared in
 *    constant time;
 *  - JWT bearer tokens (`Authorization: Bearer <jwt>`), verified with jose against a JWKS (file or URL), with the
 *    issuer, audience, expiry and an asymmetric algorithm required. The subject names the caller.
 * Messages say what to fix without echoing what was sent.
 */

export interface Caller {
  /** Stable and safe to log: the key's configured name, `jwt:<subject>`, or `ip:<address>`. */
  id: string;
  kind: 'api-key' | 'jwt' | 'anonymous';
  /** A JWT's scopes (`scope`, space-separated, or `scp`): what `writeGrant` reads. */
  scopes?: readonly string[];
}

export type AuthOutcome =
  | { ok: true; caller: Caller }
  | { ok: false; status: 401 | 503; code: 'UNAUTHENTICATED' | 'UPSTREAM_UNAVAILABLE'; message: string };

const MAX_CREDENTIAL_LENGTH = 8_192;
/** Clock difference tolerated between the token's issuer and the gateway, in seconds. */
const CLOCK_TOLERANCE_S = 30;
const MAX_SUBJECT_LENGTH = 256;

const MISSING: AuthOutcome = {
  ok: false,
  status: 401,
  code: 'UNAUTHENTICATED',
  message:
    'Authentication required: send an API key (x-api-key, or Authorization: ApiKey <key>) or a bearer token (Authorization: Bearer <jwt>).',
};
const BAD_KEY: AuthOutcome = { ok: false, status: 401, code: 'UNAUTHENTICATED', message: 'The API key is not valid.' };
const BAD_TOKEN: AuthOutcome = {
  ok: false,
  status: 401,
  code: 'UNAUTHENTICATED',
  message: 'The bearer token is not valid.',
};
const EXPIRED_TOKEN: AuthOutcome = {
  ok: false,
  status: 401,
  code: 'UNAUTHENTICATED',
  message: 'The bearer token has expired.',
};
const FOREIGN_TOKEN: AuthOutcome = {
  ok: false,
  status: 401,
  code: 'UNAUTHENTICATED',
  message: 'The bearer token was not issued for this API (issuer, audience or validity period).',
};
const FUTURE_TOKEN: AuthOutcome = {
  ok: false,
  status: 401,
  code: 'UNAUTHENTICATED',
  message: "The bearer token claims to be issued in the future (iat); check the issuer's clock.",
};
const LONG_LIVED_TOKEN: AuthOutcome = {
  ok: false,
  status: 401,
  code: 'UNAUTHENTICATED',
  message: 'The bearer token lives longer than this API accepts (exp too far ahead); ask for a shorter-lived token.',
};
const JWKS_DOWN: AuthOutcome = {
  ok: false,
  status: 503,
  code: 'UPSTREAM_UNAVAILABLE',
  message: 'Bearer tokens cannot be verified right now (the key set is unreachable); retry later.',
};

type Headers = Record<string, string | string[] | undefined>;

export class Authenticator {
  private readonly keySet?: JWTVerifyGetKey;

  constructor(private readonly settings: AuthSettings) {
    const jwt = settings.jwt;
    if (jwt?.jwks) this.keySet = createLocalJWKSet(jwt.jwks as Parameters<typeof createLocalJWKSet>[0]);
    else if (jwt?.jwksUrl) {
      // Keys are fetched on first use and on an unknown `kid`, at most every 30 s, so a flood of forged tokens
      // cannot turn into a flood of requests to the identity provider.
      this.keySet = createRemoteJWKSet(new URL(jwt.jwksUrl), {
        timeoutDuration: 5_000,
        cooldownDuration: 30_000,
        cacheMaxAge: 600_000,
      });
    }
  }

  get enabled(): boolean {
    return this.settings.enabled;
  }

  async authenticate(headers: Headers): Promise<AuthOutcome> {
    const apiKeyHeader = headers['x-api-key'];
    const authorization = headers.authorization;
    if (Array.isArray(apiKeyHeader) || Array.isArray(authorization)) return MISSING;
    if (apiKeyHeader !== undefined) return this.apiKey(apiKeyHeader.trim());
    if (authorization === undefined) return MISSING;
    const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(authorization);
    if (!match) return MISSING;
    const scheme = match[1]!.toLowerCase();
    if (scheme === 'apikey') return this.apiKey(match[2]!);
    if (scheme === 'bearer') return this.bearer(match[2]!);
    return MISSING;
  }

  private apiKey(key: string): AuthOutcome {
    if (this.settings.apiKeys.length === 0 || key.length === 0 || key.length > MAX_CREDENTIAL_LENGTH) return BAD_KEY;
    const digest = createHash('sha256').update(key, 'utf8').digest();
    let found: string | undefined;
    // Every stored hash is compared, so the time taken does not say which one (if any) matched.
    for (const entry of this.settings.apiKeys) {
      if (timingSafeEqual(digest, entry.sha256) && found === undefined) found = entry.id;
    }
    return found === undefined ? BAD_KEY : { ok: true, caller: { id: `key:${found}`, kind: 'api-key' } };
  }

  private async bearer(token: string): Promise<AuthOutcome> {
    const jwt = this.settings.jwt;
    if (!jwt || !this.keySet || token.length > MAX_CREDENTIAL_LENGTH) return BAD_TOKEN;
    try {
      const { payload } = await jwtVerify(token, this.keySet, {
        issuer: jwt.issuer,
        audience: jwt.audience,
        algorithms: jwt.algorithms,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_S,
      });
      // A token stolen once must not work for a century: its lifetime (from its issue, or from now when it does
      // not say) is bounded, and one issued in the future is a clock or a forgery.
      const now = Math.floor(Date.now() / 1000);
      const issuedAt = typeof payload.iat === 'number' ? payload.iat : now;
      if (issuedAt > now + CLOCK_TOLERANCE_S) return FUTURE_TOKEN;
      if (payload.exp! - Math.min(issuedAt, now) > jwt.maxAgeSeconds + CLOCK_TOLERANCE_S) return LONG_LIVED_TOKEN;
      const subject = payload.sub!;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters in subjects is the point
      if (subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH || /[\x00-\x1F\x7F]/.test(subject))
        return BAD_TOKEN;
      return { ok: true, caller: { id: `jwt:${subject}`, kind: 'jwt', scopes: scopesOf(payload) } };
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return EXPIRED_TOKEN;
      if (error instanceof joseErrors.JWTClaimValidationFailed) return FOREIGN_TOKEN;
      if (error instanceof joseErrors.JWKSTimeout) return JWKS_DOWN;
      // A fetch failure of the remote key set is not the caller's fault.
      if (this.settings.jwt?.jwksUrl && !(error instanceof joseErrors.JOSEError)) return JWKS_DOWN;
      return BAD_TOKEN;
    }
  }
}

/** OAuth 2 `scope` (RFC 8693: space-separated) and Microsoft's `scp` (a list, or a space-separated string). */
function scopesOf(payload: Record<string, unknown>): string[] {
  const scopes: string[] = [];
  for (const claim of [payload.scope, payload.scp]) {
    if (typeof claim === 'string') scopes.push(...claim.split(' ').filter(Boolean));
    else if (Array.isArray(claim)) scopes.push(...claim.filter((s): s is string => typeof s === 'string'));
  }
  return scopes.slice(0, 100);
}

/**
 * Whether a caller may write (call mutations): an API key named in WRITE_API_KEYS, a JWT whose scopes hold
 * JWT_WRITE_SCOPE, and, when authentication is off (the caller is anonymous), anyone in development and the demo
 * and nobody in production.
 */
export function writeGrant(
  caller: Caller | null | undefined,
  settings: Pick<WriteSettings, 'anonymous' | 'apiKeys' | 'jwtScope'>,
): boolean {
  switch (caller?.kind) {
    case 'api-key':
      return settings.apiKeys.has(caller.id.slice('key:'.length));
    case 'jwt':
      return caller.scopes?.includes(settings.jwtScope) ?? false;
    case 'anonymous':
      return settings.anonymous;
    default:
      return false;
  }
}
