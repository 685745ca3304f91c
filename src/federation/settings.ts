import { z } from 'zod';

/** Settings of the gateway as a federated subgraph, merged into config.ts's schema. */

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');

export const federationEnvShape = {
  RELAY_NODE_FIELDS: bool.default(true),
};

export interface FederationSettings {
  /**
   * Whether the schema has Relay's `Query.node` and `Query.nodes`. In a supergraph whose Relay `node` belongs to
   * another subgraph, two `node` fields cannot compose (INVALID_FIELD_SHARING; sharing them fails too, since their
   * possible types differ): `false` leaves them out, and `awsResource`/`awsResources` answer the same lookups.
   */
  relayNodeFields: boolean;
}

const federationEnvSchema = z.object(federationEnvShape);

export function federationSettings(e: z.output<typeof federationEnvSchema>): FederationSettings {
  return { relayNodeFields: e.RELAY_NODE_FIELDS };
}

/** The settings from an environment alone (`npm run schema:print` prints the schema the gateway would serve). */
export function federationSettingsFromEnv(env: Record<string, string | undefined>): FederationSettings {
  const value = env.RELAY_NODE_FIELDS === '' ? undefined : env.RELAY_NODE_FIELDS;
  return federationSettings(federationEnvSchema.parse({ RELAY_NODE_FIELDS: value }));
}
