import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify, { type FastifyInstance } from 'fastify';
import type { GraphQLFormattedError } from 'graphql';
import { AccountDirectory } from './aws/account.js';
import { AwsCaller } from './aws/call.js';
import { ClientRegistry } from './aws/clients.js';
import { callerAccount } from './aws/caller-identity.js';
import {
  CREDENTIALS_HINT,
  GatewayCredentials,
  MemberCredentials,
  credentialSources,
  sdkRoleAssumer,
} from './aws/credentials.js';
import { partialErrorsPlugin } from './partial-errors.js';
import { type ModuleCatalog, buildCatalog } from './catalog.js';
import { type Config, ConfigError } from './config.js';
import { type GatewayContext, type GatewayServices, createContext } from './context.js';
import { MemoryStore } from './cache/memory-store.js';
import { RedisStore, SharedRedis } from './cache/redis-store.js';
import { ResourceCache } from './cache/resource-cache.js';
import { createResponseStore, responseCache } from './cache/response-cache.js';
import { CacheInvalidator } from './cache/invalidation.js';
import { InvalidationBus } from './cache/invalidation-bus.js';
import { writeGrant } from './security/auth.js';
import { WriteJournal } from './write-journal.js';
import { type CacheStore, NoStore } from './cache/store.js';
import { TtlPolicy } from './cache/ttl-policy.js';
import { type CacheSize, Metrics, awsCallObserver } from './metrics.js';
import { modules } from './modules/index.js';
import { useCursorSecrets } from './pagination.js';
import { FirstPageMemo } from './planner.js';
import { preflightPlugin } from './preflight/index.js';
import { partitionOf } from './aws/regions.js';
import { buildSchema } from './schema.js';
import { ConnectionTracker } from './http/connections.js';
import { type HttpOptions, createHttpLayer } from './http/index.js';
import type { Logger } from './logger.js';
import { REFUSAL_CODES, argumentRefusalOf, refusalCodeOf } from './errors.js';
import { scalarArgumentErrorsPlugin } from './argument-errors.js';
import { createSecurity } from './security/index.js';
import { responseStatusPlugin } from './response-status.js';
import { rateLimitKey } from './security/rate-limit.js';
import { TokenBuckets } from './security/token-bucket.js';
import { applyHeapGrowth } from './heap-policy.js';

export interface Gateway {
  url: string;
  app: FastifyInstance;
  apollo: ApolloServer<GatewayContext>;
  services: GatewayServices;
  logger: Logger;
  close(): Promise<void>;
}

const KNOWN_CODES = new Set([
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
  'CREDENTIALS_UNAVAILABLE',
  'BAD_USER_INPUT',
  'THROTTLED',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'INTERNAL_SERVER_ERROR',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  ...REFUSAL_CODES,
]);

const CALLER_MISTAKES_WITHOUT_CODE = new Set([
  'provided sha does not match query',
  'Unsupported persisted query version',
]);

/** Longest error message sent; the gateway's own are far shorter. */
const MAX_MESSAGE_LENGTH = 500;

/**
 * Errors we did not create ourselves (a bug, an unexpected library failure) are masked: their message could carry
 * internals. Our own errors already have safe messages and a stable code.
 */
export function formatError(formatted: GraphQLFormattedError, error?: unknown): GraphQLFormattedError {
  // Apollo Server reports every validation failure as GRAPHQL_VALIDATION_FAILED; a limit's own code is more useful.
  const refused = refusalCodeOf(error) ?? (argumentRefusalOf(error) ? 'BAD_USER_INPUT' : undefined);
  if (refused) formatted = { ...formatted, extensions: { ...formatted.extensions, code: refused } };
  // Apollo's persisted-query checks throw without a code; they are the caller's mistakes, not ours.
  if (CALLER_MISTAKES_WITHOUT_CODE.has(formatted.message)) {
    formatted = { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
  }
  // graphql-js and Apollo quote what the caller sent (an unknown operation name, a variable's value): a long one
  // is cut, so that a request cannot make its own answer large.
  if (formatted.message.length > MAX_MESSAGE_LENGTH) {
    formatted = { ...formatted, message: `${formatted.message.slice(0, MAX_MESSAGE_LENGTH)}… (cut)` };
  }
  const code = formatted.extensions?.code;
  if (typeof code === 'string' && KNOWN_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') {
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  }
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  const ours = typeof extensions.service === 'string';
  return {
    message: ours ? formatted.message : 'Internal server error.',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { ...(ours ? extensions : {}), code: 'INTERNAL_SERVER_ERROR' },
  };
}

function createStore(
  config: Config,
  metrics: Metrics,
  redis: { connection?: SharedRedis; owned: boolean },
): CacheStore {
  const { maxEntries, maxBytes, maxEntryBytes, keyPrefix } = config.cache;
  switch (config.cache.store) {
    case 'none':
      return new NoStore();
    case 'redis':
      return new RedisStore(redis.connection!, { prefix: keyPrefix, maxEntryBytes, ownsConnection: redis.owned });
    case 'memory':
      return new MemoryStore({ maxEntries, maxBytes, maxEntryBytes, onEvict: () => metrics.cacheEvictions.inc() });
  }
}

/** The TTL policy of the modules' cache states, with the configured overrides (unknown states are refused). */
function ttlPolicy(config: Config, catalog: ModuleCatalog): TtlPolicy {
  const known = TtlPolicy.defaults(catalog.cacheStates);
  const unknown = Object.keys(config.cache.ttlSeconds).filter((key) => !(key in known));
  if (unknown.length) {
    throw new ConfigError(
      unknown.map((key) => `CACHE_TTLS: "${key}" is not a state among: ${Object.keys(known).join(', ')}`),
    );
  }
  return new TtlPolicy(catalog.cacheStates, config.cache.ttlSeconds);
}

/**
 * The Redis connection, when the cache or the limits (requests, failed authentications, no-cache, AWS calls per
 * caller) use one: they share it, and its circuit.
 */
function createRedis(config: Config, log: () => Logger | undefined): SharedRedis | undefined {
  const { redisUrl, store, redisCommandTimeoutMs, redisCooldownMs } = config.cache;
  const { rateLimit, auth, noCache } = config.security;
  // A memory cache uses Redis too, when there is one: to hear of other replicas' writes (invalidation-bus.ts).
  const shared =
    store !== 'none' ||
    rateLimit.perSecond > 0 ||
    noCache.perSecond > 0 ||
    config.aws.resilience.callerQuota.perSecond > 0 ||
    (auth.enabled && auth.failuresPerMinute > 0);
  if (!redisUrl || !shared) return undefined;
  return new SharedRedis(
    { url: redisUrl, commandTimeoutMs: redisCommandTimeoutMs, cooldownMs: redisCooldownMs },
    {
      onCircuit: (state) =>
        state === 'open'
          ? log()?.warn(
              { cooldownMs: redisCooldownMs },
              'Redis failed: answering without it (cache misses, per-replica rate limits)',
            )
          : log()?.info('Redis is back'),
    },
  );
}

export function createServices(
  config: Config,
  catalog: ModuleCatalog = buildCatalog(modules),
  redis?: SharedRedis,
): GatewayServices {
  const metrics = new Metrics();
  const credentials = new GatewayCredentials(config.aws);
  // Member accounts sign with their assumed-role sessions; the gateway's own account (whatever AWS_ACCOUNTS says
  // of it) with its own credentials.
  const members = new MemberCredentials(config.aws, sdkRoleAssumer(config.aws, credentials.provider));
  const clients = new ClientRegistry(
    config.aws,
    catalog.awsServices,
    (accountId) => (accountId === accounts.current?.accountId ? undefined : members.providerFor(accountId)),
    (accountId) => members.sessionRejected(accountId),
  );
  const quota = new TokenBuckets('aws-calls', config.aws.resilience.callerQuota, redis, config.cache.keyPrefix);
  const aws = new AwsCaller(config.aws, awsCallObserver(metrics), quota, catalog.awsServices);
  // Callers other than startGateway that want the Redis store get a connection of their own, closed with the store.
  const owned = config.cache.store === 'redis' && !redis;
  const connection = owned ? createRedis(config, () => undefined) : redis;
  const cache = new ResourceCache(
    createStore(config, metrics, { connection, owned }),
    ttlPolicy(config, catalog),
    metrics,
  );
  const partition = partitionOf(config.aws.defaultRegion);
  const accounts = new AccountDirectory(
    () => callerAccount(config.aws, aws, credentials.provider),
    config.aws.accountId ? { partition, accountId: config.aws.accountId } : undefined,
  );
  const responses = createResponseStore(config, {
    onEvict: () => metrics.responseCacheEvictions.inc(),
    onFirstSighting: () => metrics.responseCacheFirstSightings.inc(),
  });
  // Replicas sharing a Redis tell each other of their writes; the bus calls back into the invalidator it feeds.
  let invalidator: CacheInvalidator | undefined;
  const bus =
    connection && config.cache.store !== 'none'
      ? new InvalidationBus(connection, `${config.cache.keyPrefix}invalidations`, (versionKeys) => {
          void invalidator?.received(versionKeys);
        })
      : undefined;
  invalidator = new CacheInvalidator(cache, responses, bus);
  const writeJournal = new WriteJournal(cache.store);
  const firstPages = new FirstPageMemo();
  metrics.watchCaches(() => {
    const sizes: CacheSize[] = [{ cache: 'first-pages', bytes: firstPages.bytes, entries: firstPages.size }];
    if (cache.store instanceof MemoryStore)
      sizes.push({ cache: 'resources', bytes: cache.store.bytes, entries: cache.store.size });
    if (responses) sizes.push({ cache: 'responses', bytes: responses.bytes, entries: responses.size });
    return sizes;
  });
  return {
    config,
    clients,
    aws,
    cache,
    metrics,
    accounts,
    credentials,
    responses,
    invalidator,
    writeJournal,
    firstPages,
  };
}

/** Builds and starts the gateway: Apollo Server on fastify, listening on config.host:config.port. */
export async function startGateway(config: Config, options: HttpOptions = {}): Promise<Gateway> {
  applyHeapGrowth(config.heapGrowthPercent);
  const catalog = buildCatalog(modules);
  useCursorSecrets(config.security.cursorSecrets);
  let logger: Logger | undefined;
  const redis = createRedis(config, () => logger);
  const services = createServices(config, catalog, redis);
  const http = createHttpLayer(config, services, catalog.examples, options);
  logger = http.logger;
  const security = createSecurity(config, services.metrics, { redis });
  const responseCachePlugins = [responseCache(config, services.responses)].filter((p) => p !== null);
  const app = Fastify({ logger: false, ...security.fastifyOptions, ...http.fastifyOptions });
  const connections = new ConnectionTracker(app.server);
  const apollo = new ApolloServer<GatewayContext>({
    schema: buildSchema(catalog, {
      relayNodeFields: config.federation.relayNodeFields,
      securityDirectives: config.writes.routerDirectives,
    }),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    ...security.apolloOptions,
    formatError,
    // Security checks come first: of several plugins refusing one operation, the first listed answers.
    plugins: [
      fastifyApolloDrainPlugin(app),
      ...security.apolloPlugins,
      preflightPlugin({
        config,
        catalog,
        limits: config.security.limits,
        callBudget: config.aws.resilience.callBudget,
      }),
      scalarArgumentErrorsPlugin(),
      // Before every plugin that reads the response's errors (status, logs, caches).
      partialErrorsPlugin(formatError),
      ApolloServerPluginLandingPageDisabled(),
      // Federated tracing (ftv1) is for Apollo's hosted reporting, which this gateway does not use.
      ApolloServerPluginInlineTraceDisabled(),
      // Before the operation log, which records the status this sets.
      responseStatusPlugin(),
      ...http.apolloPlugins,
      ...responseCachePlugins,
    ],
  });
  await apollo.start();
  // Credentials first: without any, say where the SDK looked and what to set, once, rather than at every query.
  // The gateway still serves (/readyz 503 until they resolve), so credentials that appear later need no restart.
  const credentialsResolved = await services.credentials.resolve();
  if (!credentialsResolved) {
    const looked = credentialSources();
    http.logger.warn(
      { code: 'CREDENTIALS_UNAVAILABLE', looked, set: CREDENTIALS_HINT },
      `No AWS credentials: the SDK's default chain looked in ${looked.join('; ')}. To fix, ${CREDENTIALS_HINT}. ` +
        '/readyz answers 503 until credentials resolve.',
    );
  }
  // Learn the gateway's own account before serving (one call to the security token service); when that fails, requests try again, so a
  // gateway started before its credentials are ready recovers on its own. Without credentials it would only fail
  // again (after the chain's own retries): the first request asks instead.
  const scope = credentialsResolved ? await services.accounts.defaultScope() : undefined;
  if (scope && !('accountId' in scope))
    http.logger.warn({ code: scope.code, reason: scope.message }, 'the gateway could not learn its AWS account yet');

  if (config.env === 'production' && config.security.cursorSecretGenerated)
    http.logger.warn(
      'CURSOR_SECRET is not set: cursors are signed with a key of this process, so other replicas and restarts ' +
        'refuse them',
    );
  app.addHook('onRequest', security.preflightHook);
  await http.register(app, apollo, '/graphql');
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', services.metrics.registry.contentType);
    return services.metrics.registry.metrics();
  });
  await app.register(security.guard(fastifyApollo(apollo)), {
    path: '/graphql',
    context: async (request) => {
      const callerKey = rateLimitKey(request);
      // Fresh data costs AWS calls: `no-cache` is honoured CALLER_NO_CACHE_PER_SECOND times per caller, and beyond
      // that the caches answer as if it had not been sent.
      const wantsFresh = /\bno-cache\b|\bno-store\b/i.test(request.headers['cache-control'] ?? '');
      const fresh = wantsFresh && (await security.noCache.take(callerKey)).ok;
      return createContext(services, {
        requestId: request.id,
        caller: request.caller,
        writer: { id: request.caller?.id ?? 'unknown', mayWrite: writeGrant(request.caller, config.writes) },
        callerKey,
        cacheBypass: fresh,
        cacheBypassLimited: wantsFresh && !fresh,
      });
    },
  });

  // A Redis that is down must not hold the start: this waits for the connection briefly, or for its first error.
  await redis?.whenReady();
  // Other replicas' writes are heard from the start (bounded: a Redis that is down does not hold the start).
  await services.invalidator.ready();
  const address = await app.listen({ port: config.port, host: config.host });
  const url = `${address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]')}/graphql`;
  return {
    url,
    app,
    apollo,
    services,
    logger: http.logger,
    async close() {
      // Stops accepting at once and waits for the operations in flight. A keep-alive connection whose last response
      // ends during the drain would hold it open until its idle timeout, and a client still sending its request
      // until its request timeout: both are closed as they appear (see ConnectionTracker).
      connections.sweep();
      const sweep = setInterval(() => connections.sweep(), 50);
      try {
        await app.close();
      } finally {
        clearInterval(sweep);
      }
      await apollo.stop().catch(() => undefined);
      services.clients.destroy();
      await services.invalidator.close();
      await services.cache.store.close();
      await redis?.close();
    },
  };
}
