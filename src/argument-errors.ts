import type { ApolloServerPlugin } from '@apollo/server';
import { type ASTNode, type DocumentNode, GraphQLError, Kind, visit } from 'graphql';
import type { GatewayContext } from './context.js';
import { badUserInput } from './errors.js';
import { ScalarInputError } from './modules/base/scalars.js';

/**
 * Bad scalar literals as the argument errors they are. GraphQL validation reports a literal its scalar refuses
 * (`internetEvents(startTime: "yesterday")`) as GRAPHQL_VALIDATION_FAILED, with the scalar's words and no argument
 * name; every other bad argument is BAD_USER_INPUT naming the argument. This plugin finds the argument the refused
 * value belongs to and reports BAD_USER_INPUT (`Argument "startTime" must be an ISO-8601 date-time ...`), still
 * before anything runs (HTTP 400, zero AWS calls). Variables are coerced later and already are BAD_USER_INPUT,
 * naming the variable.
 */
export function scalarArgumentErrorsPlugin(): ApolloServerPlugin<GatewayContext> {
  // One listener object for every request; the work happens only when validation reports errors.
  const listener = {
    async validationDidStart({ document }: { document: DocumentNode }) {
      return async (errors?: readonly Error[]) => {
        if (!errors) return;
        // Apollo wraps and answers with this very array once every listener is done.
        const list = errors as Error[];
        list.forEach((error, i) => {
          const rewritten = asArgumentError(error, document);
          if (rewritten) list[i] = rewritten;
        });
      };
    },
  };
  return { requestDidStart: async () => listener };
}

function asArgumentError(error: Error, document: DocumentNode): GraphQLError | undefined {
  if (!(error instanceof GraphQLError) || !(error.originalError instanceof ScalarInputError)) return undefined;
  const value = error.nodes?.[0];
  const argument = value && argumentOf(document, value);
  if (!argument) return undefined;
  const refusal = badUserInput(argument, error.originalError.rule);
  return new GraphQLError(refusal.message, {
    nodes: error.nodes,
    extensions: refusal.extensions,
    originalError: refusal,
  });
}

/** The argument (`startTime`, or `input.from` inside an input object) whose value holds `node`. */
function argumentOf(document: DocumentNode, node: ASTNode): string | undefined {
  let found: string | undefined;
  const path: string[] = [];
  visit(document, {
    enter(current) {
      if (found) return false;
      if (current.kind === Kind.ARGUMENT || current.kind === Kind.OBJECT_FIELD) path.push(current.name.value);
      if (current === node) {
        found = path.join('.');
        return false;
      }
      return undefined;
    },
    leave(current) {
      if (current.kind === Kind.ARGUMENT || current.kind === Kind.OBJECT_FIELD) path.pop();
    },
  });
  return found;
}
