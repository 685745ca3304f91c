import type { ApolloServerPlugin } from '@apollo/server';
import type {
  FastifyPluginAsync,
  FastifyPluginOptions,
  FastifyServerFactory,
  onRequestAsyncHookHandler,
} from 'fastify';
import type { ValidationRule } from 'graphql';
import type { SharedRedis } from '../cache/redis-store.js';
import type { Config } from '../config.js';
import type { GatewayContext } from '../context.js';
import { createHttpServer } from '../http/connections.js';
import type { Metrics } from '../metrics.js';
import { Authenticator } from './auth.js';
import { AuthFailureLimiter } from './auth-failures.js';
import { guardGraphQL, preflightLimit } from './http.js';
import { limitValidation, refusalMetricsPlugin } from './limits.js';
import { operationChecksPlugin } from './operation-checks.js';
import { RateLimiter } from './rate-limit.js';
import { TokenBuckets } from './token-bucket.js';
import type { TrustProxy } from './settings.js';
import { writeGuardPlugin } from './write-guard.js';

/** fastify's own `trustProxy`, which takes a number too but, since 5.x, then trusts no hop at all (it cannot tell
 * a direct client from a proxy). A hop count is therefore handed over as the function it means. */
type FastifyTrustProxy = false | string[] | ((address: string, hop: number) => boolean);

function fastifyTrustProxy(trustProxy: TrustProxy): FastifyTrustProxy {
  if (typeof trustProxy !== 'number') return trustProxy;
  if (trustProxy === 0) return false;
  return (_address, hop) => hop < trustProxy;
}

export interface Security {
  /** Spread into `Fastify({...})`. */
  fastifyOptions: { bodyLimit: number; trustProxy: FastifyTrustProxy; serverFactory: FastifyServerFactory };
  /** Spread into `new ApolloServer({...})`. */
  apolloOptions: {
    validationRules: ValidationRule[];
    csrfPrevention: boolean;
    allowBatchedHttpRequests: false;
    // main.ts owns shutdown (drain with a deadline, then exit 0); Apollo's own handler would re-raise the signal.
    stopOnTerminationSignals: false;
    parseOptions: { maxTokens: number };
  };
  /**
   * Added to Apollo Server's plugins, ahead of other plugins that check operations in didResolveOperation: when
   * several refuse one operation, the first in the list answers.
   */
  apolloPlugins: ApolloServerPlugin<GatewayContext>[];
  /** An app-level onRequest hook, added before CORS: OPTIONS requests count against the client's rate limit. */
  preflightHook: onRequestAsyncHookHandler;
  /** Wraps the GraphQL route's fastify plugin: `app.register(security.guard(fastifyApollo(apollo)), options)`. */
  guard<Options extends FastifyPluginOptions>(route: FastifyPluginAsync<Options>): FastifyPluginAsync<Options>;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  /** How often each caller may skip the caches (`Cache-Control: no-cache`). */
  noCache: TokenBuckets;
}

/**
 * Limits, authentication, rate limiting and exposure defaults, from `config.security` (see settings.ts). With
 * `redis`, rate limits are counted there, across replicas.
 */
export function createSecurity(config: Config, metrics: Metrics, options: { redis?: SharedRedis } = {}): Security {
  const { limits, auth, rateLimit, trustProxy, csrfPrevention } = config.security;
  const authenticator = new Authenticator(auth);
  const rateLimiter = new RateLimiter(rateLimit, options.redis, config.cache.keyPrefix);
  const authFailures = new AuthFailureLimiter(auth.failuresPerMinute, options.redis, config.cache.keyPrefix);
  const noCache = new TokenBuckets('no-cache', config.security.noCache, options.redis, config.cache.keyPrefix);
  // Field suggestions ("Did you mean ...?") spell out the schema; when introspection is off they must not.
  const validation = limitValidation(limits, { hideSchemaHints: !config.introspection });
  return {
    fastifyOptions: {
      bodyLimit: limits.maxBodyBytes,
      trustProxy: fastifyTrustProxy(trustProxy),
      // The timeouts and the connection cap are given to http.createServer (see createHttpServer).
      serverFactory: (handler) => createHttpServer(config.security.server, handler),
    },
    apolloOptions: {
      validationRules: validation.validationRules,
      csrfPrevention,
      allowBatchedHttpRequests: false,
      stopOnTerminationSignals: false,
      // graphql-js's own token limit backs the HTTP-level check for operations that do not come over HTTP.
      parseOptions: { maxTokens: limits.maxTokens },
    },
    apolloPlugins: [
      refusalMetricsPlugin(metrics),
      writeGuardPlugin() as ApolloServerPlugin,
      ...validation.plugins,
      operationChecksPlugin({ federation: config.security.federation, limits }),
    ],
    guard: (route) => guardGraphQL({ limits, authenticator, authFailures, rateLimiter, metrics }, route),
    preflightHook: preflightLimit({ rateLimiter, metrics }),
    authenticator,
    rateLimiter,
    noCache,
  };
}

export type { Caller } from './auth.js';
