import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getArgumentValues,
  getVariableValues,
} from 'graphql';
import { GatewayError } from './aws/errors.js';
import type { Config } from './config.js';
import { DocumentMemo, variablesKey } from './document-memo.js';
import { customerProfilesArguments } from './modules/customer-profiles/resolvers.js';
import { internetMonitorArguments } from './modules/internet-monitor/resolvers.js';
import { personalizeArguments } from './modules/personalize/resolvers.js';

type ArgumentCheck = (config: Config, args: never) => unknown;

/** Every root field with arguments to check, by name: the same functions the resolvers call. */
const ROOT_FIELD_CHECKS: Record<string, ArgumentCheck> = {
  ...customerProfilesArguments,
  ...personalizeArguments,
  ...internetMonitorArguments,
};

function rootFields(set: SelectionSetNode, document: DocumentNode, into: FieldNode[], seen = new Set<string>()): FieldNode[] {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) into.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFields(selection.selectionSet, document, into, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) rootFields(fragment.selectionSet, document, into, seen);
    }
  }
  return into;
}

/** The first argument error among the operation's root fields, or null. */
export function checkOperationArguments(
  config: Config,
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): GatewayError | null {
  const queryType = schema.getQueryType();
  if (operation.operation !== 'query' || !queryType) return null;
  // Variables that do not coerce are GraphQL's to report (as it does during execution), not ours.
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) return null;
  for (const field of rootFields(operation.selectionSet, document, [])) {
    const check = ROOT_FIELD_CHECKS[field.name.value];
    const definition = queryType.getFields()[field.name.value];
    if (!check || !definition) continue;
    try {
      check(config, getArgumentValues(definition, field, coerced.coerced) as never);
    } catch (error) {
      if (error instanceof GatewayError) return error;
      throw error;
    }
  }
  return null;
}

/**
 * Checks the arguments of every root field against AWS's constraints before the operation runs, so an operation
 * with one bad argument is refused whole and costs no AWS call at all (resolvers run the same checks again, for
 * paths this plugin does not see, such as federation entity references).
 */
export function argumentChecksPlugin(config: Config): ApolloServerPlugin {
  const checked = new DocumentMemo<GatewayError | null>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const error = checked.get(document, variablesKey(request.operationName, request.variables), () =>
            checkOperationArguments(config, schema, document, operation, request.variables ?? {}),
          );
          if (error) {
            throw new GatewayError(error.message, 'BAD_USER_INPUT', { ...error.extensions, http: { status: 400 } });
          }
        },
      };
    },
  };
}
