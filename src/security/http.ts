import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyPluginOptions,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import type { Metrics } from '../metrics.js';
import type { Authenticator, Caller } from './auth.js';
import { refusalBody } from '../errors.js';
import { refusalStatus } from '../response-status.js';
import { MAX_JSON_DEPTH, checkQueryText, jsonNestsDeeperThan } from './limits.js';
import type { AuthFailureLimiter } from './auth-failures.js';
import { type RateLimiter, rateLimitKey } from './rate-limit.js';
import type { LimitSettings } from './settings.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who sent the request, once authenticated (or the client address when authentication is off). */
    caller: Caller | null;
  }
}

export interface GuardDeps {
  limits: LimitSettings;
  authenticator: Authenticator;
  authFailures: AuthFailureLimiter;
  rateLimiter: RateLimiter;
  metrics: Metrics;
}

/** Answers a refused request the way GraphQL clients read errors: a JSON body with `errors[].extensions.code`. */
function refuse(
  deps: Pick<GuardDeps, 'metrics'>,
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  extensions?: Record<string, unknown>,
) {
  deps.metrics.requestsRefused.inc({ code });
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(refusalBody(code, message, extensions));
}

function rateLimited(deps: Pick<GuardDeps, 'metrics'>, reply: FastifyReply, retryAfterSeconds: number) {
  reply.header('retry-after', String(retryAfterSeconds));
  return refuse(deps, reply, 429, 'RATE_LIMITED', `Too many requests; retry in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
  });
}

function tooManyFailures(deps: Pick<GuardDeps, 'metrics'>, reply: FastifyReply, retryAfterSeconds: number) {
  reply.header('retry-after', String(retryAfterSeconds));
  const message = `Too many failed authentications from this address; retry in ${retryAfterSeconds} s.`;
  return refuse(deps, reply, 429, 'RATE_LIMITED', message, { retryAfterSeconds });
}

/**
 * OPTIONS requests (CORS preflights) carry no credentials, and fastify's CORS plugin answers them before any route
 * hook: this app-level hook, added before it, counts them against the client address's rate limit first.
 */
export function preflightLimit(deps: Pick<GuardDeps, 'rateLimiter' | 'metrics'>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'OPTIONS') return;
    const decision = await deps.rateLimiter.take(request);
    if (!decision.ok) return rateLimited(deps, reply, decision.retryAfterSeconds);
  };
}

/** A browser opening the endpoint gets the playground page (static, no operation): it needs no credentials. */
function isLandingPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  const query = request.query as Record<string, unknown> | undefined;
  return !query?.query && !query?.extensions && /\btext\/html\b/.test(String(request.headers.accept ?? ''));
}

function queryTextsOf(request: FastifyRequest): unknown[] {
  if (request.method === 'GET') return [(request.query as Record<string, unknown> | undefined)?.query];
  const body = request.body;
  if (Array.isArray(body))
    return body.map((item) => (item && typeof item === 'object' ? (item as Record<string, unknown>).query : undefined));
  return body && typeof body === 'object' ? [(body as Record<string, unknown>).query] : [];
}

class BodyError extends Error {
  constructor(
    message: string,
    readonly statusCode = 400,
    readonly code = 'GATEWAY_BAD_BODY',
  ) {
    super(message);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Everything the GraphQL route needs in front of Apollo Server, in an encapsulated fastify scope so that health,
 * metrics and playground assets stay untouched: authentication and the rate limit before the body is even read,
 * a strict JSON body parser (invalid UTF-8 is refused rather than silently replaced), query text limits, and
 * GraphQL-shaped answers for every refusal.
 */
export function guardGraphQL<Options extends FastifyPluginOptions>(
  deps: GuardDeps,
  route: FastifyPluginAsync<Options>,
): FastifyPluginAsync<Options> {
  return async (scope: FastifyInstance, options: Options) => {
    scope.decorateRequest('caller', null);
    await deps.rateLimiter.register(scope);

    const jsonParser = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      let text: string;
      try {
        text = utf8.decode(body as Buffer);
      } catch {
        done(new BodyError('The request body is not valid UTF-8.'), undefined);
        return;
      }
      if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
        done(
          new BodyError(`The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`),
          undefined,
        );
        return;
      }
      jsonParser(request, text, done);
    });

    scope.setErrorHandler((error: FastifyError, _request, reply) => {
      const status = error.statusCode ?? 500;
      switch (error.code) {
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          return refuse(
            deps,
            reply,
            413,
            'PAYLOAD_TOO_LARGE',
            `The request body exceeds ${deps.limits.maxBodyBytes} bytes.`,
            {
              limit: deps.limits.maxBodyBytes,
            },
          );
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          return refuse(
            deps,
            reply,
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            'Send operations as application/json (POST) or in the query string (GET).',
          );
        case 'GATEWAY_BAD_BODY':
          return refuse(deps, reply, 400, 'BAD_REQUEST', error.message);
        default:
          // Messages of parser errors can quote the body: only our own words go back.
          if (status >= 400 && status < 500) {
            const message =
              error instanceof SyntaxError || /JSON/i.test(error.code ?? '')
                ? 'The request body is not valid JSON.'
                : 'The request is malformed.';
            return refuse(deps, reply, status, 'BAD_REQUEST', message);
          }
          return refuse(deps, reply, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error.');
      }
    });

    scope.addHook('onRequest', async (request, reply) => {
      // HTTP/1.0 allows a request without Host; the GraphQL integration builds the request's URL from it.
      if (!request.headers.host) return refuse(deps, reply, 400, 'BAD_REQUEST', 'The request has no Host header.');
      if (request.method === 'OPTIONS') return;
      let caller: Caller = { id: `ip:${request.ip}`, kind: 'anonymous' };
      if (deps.authenticator.enabled && !isLandingPage(request)) {
        const address = rateLimitKey(request);
        const blocked = deps.authFailures.blockedFor(address);
        if (blocked > 0) return tooManyFailures(deps, reply, blocked);
        const outcome = await deps.authenticator.authenticate(request.headers);
        if (!outcome.ok) {
          const sentCredentials =
            request.headers.authorization !== undefined || request.headers['x-api-key'] !== undefined;
          if (outcome.status === 401 && sentCredentials) {
            const wait = await deps.authFailures.failed(address);
            if (wait > 0) return tooManyFailures(deps, reply, wait);
          }
          if (outcome.status === 401)
            reply.header('www-authenticate', 'Bearer realm="graphql", ApiKey realm="graphql"');
          return refuse(deps, reply, outcome.status, outcome.code, outcome.message);
        }
        caller = outcome.caller;
      }
      request.caller = caller;
      const decision = await deps.rateLimiter.take(request);
      if (!decision.ok) return rateLimited(deps, reply, decision.retryAfterSeconds);
    });

    scope.addHook('preHandler', async (request, reply) => {
      if (request.method === 'GET') {
        // A GET's variables and extensions are JSON too, parsed later by Apollo Server.
        const search = request.query as Record<string, unknown> | undefined;
        for (const name of ['variables', 'extensions']) {
          const value = search?.[name];
          if (typeof value === 'string' && jsonNestsDeeperThan(value, MAX_JSON_DEPTH)) {
            const message = `The ${name} parameter nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`;
            return refuse(deps, reply, 400, 'BAD_REQUEST', message);
          }
        }
      }
      for (const query of queryTextsOf(request)) {
        const error = checkQueryText(query, deps.limits);
        if (error) {
          const { code, http, ...extensions } = error.extensions as { code: string; http: { status: number } };
          const status = refusalStatus(request.headers.accept, http.status, [code]);
          return refuse(deps, reply, status, code, error.message, extensions);
        }
      }
    });

    await scope.register(route, options);
  };
}
