import type { ApolloServer } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import type { GatewayContext, GatewayServices } from '../context.js';

/** `degraded`: the part is down but the gateway answers without it (the cache, which only saves AWS calls). */
export type CheckResult = 'ok' | 'degraded' | 'failed' | 'skipped';

export interface Readiness {
  ready: boolean;
  checks: { schema: CheckResult; aws: CheckResult; cache: CheckResult };
  /** Why a check failed, when the reason helps an operator (no AWS credentials). */
  detail?: { aws: string };
}

/**
 * A backstop only: the store's own PING is bounded by REDIS_COMMAND_TIMEOUT_MS and answers at once while Redis is
 * known to be down. Short enough for a probe's own timeout (usually 1 s).
 */
const CACHE_PING_TIMEOUT_MS = 800;

function schemaCheck(apollo: ApolloServer<GatewayContext>): CheckResult {
  // Throws before start() completes and once stop() has begun: exactly when requests must go elsewhere.
  try {
    apollo.assertStarted('readiness check');
    return 'ok';
  } catch {
    return 'failed';
  }
}

function awsCheck(services: GatewayServices): CheckResult {
  // Building (or reusing) a client resolves region and endpoint settings without a network call. Credentials were
  // resolved at start; while they are not, a retry runs in the background now and then (never an AWS call).
  try {
    services.clients.warmUp(services.config.aws.defaultRegion, services.config.aws.globalRegion);
  } catch {
    return 'failed';
  }
  return services.credentials.ready() ? 'ok' : 'failed';
}

async function cacheCheck(services: GatewayServices): Promise<CheckResult> {
  const store = services.cache.store;
  // Only a shared store is worth probing: memory is always there, and "none" has nothing to reach. A Redis that
  // does not answer is not a reason to take the replica out of service: without it requests go to AWS, slower
  // but correct, and every replica shares the same Redis, so all of them would go at once.
  if (store.kind !== 'redis') return 'skipped';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CACHE_PING_TIMEOUT_MS);
  });
  try {
    return (await Promise.race([store.ping(), timeout])) ? 'ok' : 'degraded';
  } catch {
    return 'degraded';
  } finally {
    clearTimeout(timer);
  }
}

export async function readiness(apollo: ApolloServer<GatewayContext>, services: GatewayServices): Promise<Readiness> {
  const checks = { schema: schemaCheck(apollo), aws: awsCheck(services), cache: await cacheCheck(services) };
  const ready = Object.values(checks).every((c) => c !== 'failed');
  if (checks.aws === 'failed' && services.credentials.state !== 'resolved')
    return { ready, checks, detail: { aws: 'no AWS credentials yet: see the start-up warning for where to set them' } };
  return { ready, checks };
}

/**
 * `/healthz`: the process is alive and serving HTTP (restart it otherwise). `/readyz`: it can answer GraphQL now
 * (send it traffic otherwise); 503 with the failing check named, 200 with `degraded` for a cache that is down.
 * Neither touches AWS, so probes cost nothing there (a credentials retry may ask the chain's local sources).
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  apollo: ApolloServer<GatewayContext>,
  services: GatewayServices,
): void {
  app.get('/healthz', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return { status: 'ok' };
  });
  app.get('/readyz', async (_request, reply) => {
    const result = await readiness(apollo, services);
    reply.header('cache-control', 'no-store').code(result.ready ? 200 : 503);
    return {
      status: result.ready ? 'ready' : 'not ready',
      checks: result.checks,
      ...(result.detail ? { detail: result.detail } : {}),
    };
  });
}
