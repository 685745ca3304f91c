import type { ApolloServerPlugin } from '@apollo/server';
import { maybeCacheControlFromInfo } from '@apollo/cache-control-types';
import { type GraphQLError, type GraphQLFormattedError, type GraphQLResolveInfo, locatedError } from 'graphql';
import type { GatewayContext } from './context.js';

/**
 * Errors reported beside data. A list over many scopes (accounts, regions) answers with the items of the scopes
 * that answered and one error per scope that failed: graphql-js only records the errors resolvers throw, which
 * null the field, so these are kept on the request and appended to the response's `errors` when it is sent, with
 * the path of the field that reported them. An answer that holds one is never cached (max-age 0).
 */

/** More errors than this on one response say nothing more: the rest are dropped. */
const MAX_PARTIAL_ERRORS = 100;

export function reportPartialError(ctx: GatewayContext, info: GraphQLResolveInfo, error: GraphQLError): void {
  maybeCacheControlFromInfo(info)?.cacheHint.restrict({ maxAge: 0 });
  if (ctx.partialErrors.length >= MAX_PARTIAL_ERRORS) return;
  const path = [];
  for (let at: GraphQLResolveInfo['path'] | undefined = info.path; at; at = at.prev) path.unshift(at.key);
  ctx.partialErrors.push(locatedError(error, info.fieldNodes, path));
}

/** Appends the request's partial errors to its response, formatted as every other error is. */
export function partialErrorsPlugin(
  format: (formatted: GraphQLFormattedError, error?: unknown) => GraphQLFormattedError,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const reported = contextValue.partialErrors;
          if (!reported?.length || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          const formatted = reported.map((error) => format(error.toJSON(), error));
          singleResult.errors = [...(singleResult.errors ?? []), ...formatted];
        },
      };
    },
  };
}
