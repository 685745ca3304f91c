import type { ApolloServer, ApolloServerPlugin } from '@apollo/server';
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../config.js';
import type { GatewayContext, GatewayServices } from '../context.js';
import { type DestinationStream, type Logger, createLogger } from '../logger.js';
import { registerHealthRoutes } from './health.js';
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
      ...(playground ? [playground.plugin() as ApolloServerPlugin<GatewayContext>] : []),
    ],
    async register(app, apollo, graphqlPath) {
      app.addHook('onRequest', async (request, reply) => {
        reply.header(REQUEST_ID_HEADER, request.id);
      });
      // GET /graphql answers HTML (the playground) or JSON in one of two media types depending on Accept, and
      // hashed-query GETs are what shared caches store: they must key on Accept.
      app.addHook('onSend', async (request, reply, payload) => {
        if (request.method === 'GET' && request.routeOptions.url === graphqlPath) appendVary(reply, 'accept');
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
