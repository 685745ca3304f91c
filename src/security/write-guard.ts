import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { forbiddenToWrite } from '../writes.js';

/**
 * Mutations need the write grant (auth.ts `writeGrant`): without it a mutation operation is refused as a whole,
 * FORBIDDEN (HTTP 403), before any resolver runs, so at zero AWS calls. (Each mutation checks the grant again
 * itself, for paths that do not come through here.) A mutation's answer is never cacheable: it says what was just
 * done, not what stays true.
 */
export function writeGuardPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation' || contextValue.writer.mayWrite) return;
          const error = forbiddenToWrite();
          throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 403 } } });
        },
        async willSendResponse({ operation, response }) {
          if (operation?.operation === 'mutation') response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}
