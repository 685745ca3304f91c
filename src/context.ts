import { randomUUID } from 'node:crypto';
import { AwsCallLedger, type AwsCaller } from './aws/call.js';
import type { ClientRegistry } from './aws/clients.js';
import type { ResourceCache } from './cache/resource-cache.js';
import type { Metrics } from './metrics.js';
import type { Config } from './config.js';
import { createCustomerProfilesLoaders } from './modules/customer-profiles/loaders.js';
import { createInternetMonitorLoaders } from './modules/internet-monitor/loaders.js';
import { createPersonalizeLoaders } from './modules/personalize/loaders.js';

/** Process-wide parts, created once at start-up and shared by every request. */
export interface GatewayServices {
  config: Config;
  clients: ClientRegistry;
  aws: AwsCaller;
  cache: ResourceCache;
  metrics: Metrics;
}

/** What loaders need: the shared parts plus this request's ledger of AWS calls. */
export interface LoaderDeps extends GatewayServices {
  ledger: AwsCallLedger;
  /** The caller asked for fresh data (`Cache-Control: no-cache`): skip cache reads, still refresh the cache. */
  cacheBypass: boolean;
}

export interface Loaders {
  customerProfiles: ReturnType<typeof createCustomerProfilesLoaders>;
  personalize: ReturnType<typeof createPersonalizeLoaders>;
  internetMonitor: ReturnType<typeof createInternetMonitorLoaders>;
}

export interface GatewayContext extends LoaderDeps {
  requestId: string;
  loaders: Loaders;
}

/**
 * A fresh context per GraphQL request. Loaders are per request by design: DataLoader's memo would otherwise
 * hand one caller's results (and errors) to another and grow without bound.
 */
export function createContext(
  services: GatewayServices,
  options: { requestId?: string; cacheBypass?: boolean } = {},
): GatewayContext {
  const requestId = options.requestId ?? randomUUID();
  const deps: LoaderDeps = { ...services, ledger: new AwsCallLedger(), cacheBypass: options.cacheBypass ?? false };
  return {
    ...deps,
    requestId,
    loaders: {
      customerProfiles: createCustomerProfilesLoaders(deps),
      personalize: createPersonalizeLoaders(deps),
      internetMonitor: createInternetMonitorLoaders(deps),
    },
  };
}
