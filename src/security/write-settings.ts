import { z } from 'zod';

/**
 * Who may call mutations, merged into config.ts's schema. The grant itself is derived per caller in auth.ts
 * (`writeGrant`).
 */

const csv = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');

export const writeEnvShape = {
  FEDERATION_SECURITY_DIRECTIVES: bool.default(true),
  WRITE_API_KEYS: csv.optional(),
  JWT_WRITE_SCOPE: z
    .string()
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, 'must be one OAuth scope token (printable, no spaces or quotes)')
    .default('aws-events-graph:write'),
};

export interface WriteSettings {
  /** Without authentication, whether anyone may write: in development and the demo yes, in production nobody. */
  anonymous: boolean;
  /** Names (from API_KEYS) of the API keys that may write; no other key may. */
  apiKeys: ReadonlySet<string>;
  /** The scope a JWT's `scope` (space-separated) or `scp` (list or string) must hold to write. */
  jwtScope: string;
  /** Whether the subgraph SDL tells routers of the write scope (`@requiresScopes`; see schema.ts SchemaOptions). */
  routerDirectives: boolean;
}

export function writeSettings(
  e: { WRITE_API_KEYS?: string[]; JWT_WRITE_SCOPE: string; FEDERATION_SECURITY_DIRECTIVES: boolean; NODE_ENV: string },
  context: { demo: boolean; apiKeyNames: readonly string[] },
  problems: string[],
): WriteSettings {
  const apiKeys = new Set(e.WRITE_API_KEYS ?? []);
  const unknown = [...apiKeys].filter((name) => !context.apiKeyNames.includes(name));
  if (unknown.length) {
    problems.push(`WRITE_API_KEYS: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not named in API_KEYS`);
  }
  return {
    anonymous: context.demo || e.NODE_ENV !== 'production',
    apiKeys,
    jwtScope: e.JWT_WRITE_SCOPE,
    routerDirectives: e.FEDERATION_SECURITY_DIRECTIVES,
  };
}
