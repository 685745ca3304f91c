import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { GatewayContext, GatewayServices } from '../context.js';
import { type DestinationStream, type Logger, createLogger } from '../logger.js';
import { registerHealthRoutes } from './health.js';
import { auditLogPlugin } from './audit-log.js';
import { operationLogPlugin } from './operation-log.js';
import type { PlaygroundExample } from '../service-module.js';
import { Playground } from './playground.js';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.js';
import { registerRootRoute } from './root.js';

export interface HttpOptions {
  /** Where log lines go instead of stdout; tests read them back from here. */
  logDestination?: DestinationStream;
}

export interface HttpLayer {
  logger: Logger;
  /** Spread into `Fastify({...})`. */
  fastifyOptions: { genReqId: typeof requestIdOf; requestIdHeader: false };
  /** Added to Apollo Server's plugins. */
  apolloPlugins: ApolloServerPlugin<GatewayContext>[];
  /** Everything around the GraphQL route: call before registering it, so hooks apply to it. */
  register(app: FastifyInstance, apollo: ApolloServer<GatewayContext>, graphqlPath: string): Promise<void>;
}

/** Headers a browser page may read from our responses (CORS hides all but a few by default). */
const EXPOSED_HEADERS = [REQUEST_ID_HEADER];

function appendVary(reply: FastifyReply, field: string): void {
  const current = reply.getHeader('vary');
  const fields =
    typeof current === 'string'
      ? current
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean)
      : [];
  if (fields.includes('*') || fields.some((f) => f.toLowerCase() === field.toLowerCase())) return;
  reply.header('vary', [...fields, field].join(', '));
}

/** Headers that carry credentials: an answer to a request with one of them is the caller's own. */
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'cookie'] as const;

/**
 * The cache headers of a GraphQL answer, beyond the `max-age` Apollo computes from the cache hints:
 *  - `Vary`: the answer's media type depends on `Accept` (JSON in one of two types, or the playground's HTML), and,
 *    with authentication on, whether there is an answer at all depends on the credentials;
 *  - `Cache-Control: private` instead of `public` when the request carried credentials: a shared cache in front
 *    must not hand an authenticated answer to anyone else, unless the operator says the data is the same for
 *    every caller (CACHE_PUBLIC_WITH_CREDENTIALS; `Vary` then keys the shared cache on the credentials).
 */
function cacheHeadersFor(config: Config): (request: FastifyRequest, reply: FastifyReply) => void {
  const { auth, publicCacheWithCredentials } = config.security;
  const vary = ['accept', ...(auth.enabled ? ['authorization', 'x-api-key'] : [])];
  return (request, reply) => {
    for (const field of vary) appendVary(reply, field);
    if (publicCacheWithCredentials) return;
    if (!CREDENTIAL_HEADERS.some((name) => request.headers[name] !== undefined)) return;
    const cacheControl = reply.getHeader('cache-control');
    if (typeof cacheControl === 'string' && /\bpublic\b/i.test(cacheControl))
      reply.header('cache-control', cacheControl.replace(/\bpublic\b/i, 'private'));
  };
}

/**
 * One `error` line for every answer with a 5xx status, whichever layer gave it (a refusal, an error handler, Apollo
 * Server): the class of the error behind it, never its message or anything the caller sent but the path.
 */
function logServerErrors(app: FastifyInstance, logger: Logger): void {
  const errorClasses = new WeakMap<object, string>();
  app.addHook('onError', async (request, _reply, error) => {
    errorClasses.set(request, error.name || 'Error');
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode < 500) return;
    const path = request.routeOptions.url ?? request.url.split('?')[0]!.slice(0, 200);
    const errorClass = errorClasses.get(request);
    logger.error(
      {
        requestId: request.id,
        method: request.method,
        path,
        status: reply.statusCode,
        ...(errorClass ? { errorClass } : {}),
      },
      'server error response',
    );
  });
}

/**
 * Where users meet the gateway over HTTP: request ids, structured operation logs, CORS for browser frontends, the
 * playground, and the health probes. server.ts wires this in; each part lives in its own file here.
 */
export function createHttpLayer(
  config: Config,
  services: GatewayServices,
  examples: readonly PlaygroundExample[],
  options: HttpOptions = {},
): HttpLayer {
  const logger = createLogger({ level: config.logLevel, destination: options.logDestination });
  const playground = config.http.playground ? new Playground({ examples }) : undefined;
  return {
    logger,
    fastifyOptions: { genReqId: requestIdOf, requestIdHeader: false },
    apolloPlugins: [
      operationLogPlugin(logger, services.metrics),
      auditLogPlugin(logger),
      ...(playground ? [playground.plugin() as ApolloServerPlugin<GatewayContext>] : []),
    ],
    async register(app, apollo, graphqlPath) {
      app.addHook('onRequest', async (request, reply) => {
        reply.header(REQUEST_ID_HEADER, request.id);
      });
      logServerErrors(app, logger);
      // What shared caches (a CDN, a router) must know of a GraphQL answer: see cacheHeadersFor.
      const cacheHeaders = cacheHeadersFor(config);
      app.addHook('onSend', async (request, reply, payload) => {
        if (request.routeOptions.url === graphqlPath) cacheHeaders(request, reply);
        return payload;
      });

      const origins = config.http.corsOrigins;
      const anyOrigin = origins.includes('*');
      await app.register(cors, {
        // A function (not the list itself) so that a disallowed origin gets no CORS headers at all and its
        // preflight a 404, rather than a 204 that merely lacks Access-Control-Allow-Origin.
        origin: anyOrigin
          ? '*'
          : origins.length
            ? (origin, callback) => callback(null, origin !== undefined && origins.includes(origin))
            : false,
        methods: ['GET', 'POST'],
        // An OPTIONS request that is no preflight goes on to the GraphQL route, which answers it in JSON.
        strictPreflight: false,
        exposedHeaders: EXPOSED_HEADERS,
        // Browsers cap this (Chromium at 2 hours); 10 minutes keeps preflights rare without pinning stale policy.
        maxAge: 600,
      });

      registerHealthRoutes(app, apollo, services);
      registerRootRoute(app, { graphqlPath, playground: config.http.playground });
      playground?.register(app, graphqlPath);
      if (anyOrigin && config.mode !== 'demo')
        logger.warn('CORS_ORIGINS=* lets every web page call this gateway from a browser');
    },
  };
}
