import type { ApolloServerPlugin } from '@apollo/server';
import Negotiator from 'negotiator';

/*
 * The HTTP status of GraphQL refusals, as the GraphQL-over-HTTP spec asks: a well-formed request whose answer is
 * `application/json` SHOULD be 200 whatever its GraphQL errors say, and 4xx is for
 * `application/graphql-response+json`. Routers and most clients send a wildcard `accept` or `application/json`, and
 * read a 4xx as a transport failure: @apollo/gateway then reports INTERNAL_SERVER_ERROR "400: Bad Request" with the
 * subgraph's URL in `extensions.response`, and the refusal's own code is lost. With 200 the code reaches the client.
 */

const APPLICATION_JSON = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_JSON = 'application/graphql-response+json; charset=utf-8';

/**
 * Codes of refusals decided in GraphQL (the document, its variables and what it would cost) for a request that was
 * well-formed. Transport refusals keep their status whatever the media type: a body that is not JSON
 * (`BAD_REQUEST`, also CSRF), too large a body, another media type, authentication, rate limits.
 */
const GRAPHQL_REFUSALS = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_LARGE',
  'TOO_MANY_TOKENS',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'QUERY_TOO_COMPLEX',
  'LIST_TOO_LONG',
  'AWS_CALL_BUDGET_EXCEEDED',
]);

/** The media type Apollo Server answers a single result with for this `Accept` (null: neither is acceptable). */
export function responseMediaType(accept: string | undefined): string | null {
  if (!accept) return APPLICATION_JSON;
  // The order is Apollo Server's own: with a wildcard or no preference, application/json.
  return new Negotiator({ headers: { accept } }).mediaType([APPLICATION_JSON, GRAPHQL_RESPONSE_JSON]) ?? null;
}

/**
 * The status of a refusal with these codes: 200 when the answer is `application/json` and every code is a GraphQL
 * refusal, else `status` as it was. The HTTP layer's query-text limits use it too.
 */
export function refusalStatus(accept: string | undefined, status: number, codes: readonly unknown[]): number {
  if (status < 400 || status >= 500 || codes.length === 0) return status;
  if (!codes.every((code) => typeof code === 'string' && GRAPHQL_REFUSALS.has(code))) return status;
  return responseMediaType(accept)?.startsWith('application/json') ? 200 : status;
}

/**
 * Whole-request GraphQL refusals answered `application/json` get HTTP 200 (see above). A persisted-query miss is
 * `no-store` like every other answer with errors (Apollo Server sends `private, no-cache, must-revalidate`): nothing
 * may keep it, since the next request with the same hash may register the query.
 */
export function responseStatusPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          const { status } = response.http;
          if (response.body.kind !== 'single') return;
          const { errors } = response.body.singleResult;
          if (!errors) return;
          if (errors.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND'))
            response.http.headers.set('cache-control', 'no-store');
          const accept = request.http?.headers.get('accept');
          if (status === undefined) return;
          const next = refusalStatus(
            accept,
            status,
            errors.map((e) => e.extensions?.code),
          );
          if (next === status) return;
          response.http.status = next;
          // The media type the status was decided for, so that Apollo Server cannot answer another one.
          response.http.headers.set('content-type', responseMediaType(accept) ?? APPLICATION_JSON);
        },
      };
    },
  };
}
