import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CryptoKey, type JWTPayload, SignJWT, exportJWK, generateKeyPair } from 'jose';

export const ISSUER = 'https://issuer.example.test/';
export const AUDIENCE = 'aws-events-graph';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A signing key, and its public half as a JWKS file on disk. */
export interface TokenIssuer {
  jwksFile: string;
  jwks: { keys: Array<Record<string, unknown>> };
  sign(
    claims?: JWTPayload,
    options?: {
      expiresIn?: string | number;
      /** Epoch seconds; null leaves `iat` out. Default: now. */
      issuedAt?: number | null;
      issuer?: string;
      audience?: string;
      kid?: string;
      key?: CryptoKey;
    },
  ): Promise<string>;
}

export async function tokenIssuer(): Promise<TokenIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  const jwks = { keys: [jwk] };
  const dir = mkdtempSync(join(tmpdir(), 'jwks-'));
  const jwksFile = join(dir, 'jwks.json');
  writeFileSync(jwksFile, JSON.stringify(jwks));
  return {
    jwksFile,
    jwks,
    async sign(claims = { sub: 'frontend-app' }, options = {}) {
      const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: options.kid ?? 'test-key' });
      if (options.issuedAt !== null) jwt.setIssuedAt(options.issuedAt);
      jwt
        .setIssuer(options.issuer ?? ISSUER)
        .setAudience(options.audience ?? AUDIENCE)
        .setExpirationTime(options.expiresIn ?? '5m');
      return jwt.sign(options.key ?? privateKey);
    },
  };
}

/** A key pair whose public half is in no JWKS the gateway knows. */
export async function strangerKey(): Promise<CryptoKey> {
  return (await generateKeyPair('ES256')).privateKey;
}
