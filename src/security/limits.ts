import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  Kind,
  Lexer,
  type OperationDefinitionNode,
  Source,
  TokenKind,
  type ValidationContext,
  type ValidationRule,
  getVariableValues,
} from 'graphql';
import { DocumentMemo, variablesKey } from '../document-memo.js';
import type { Metrics } from '../metrics.js';
import { estimateAwsCalls } from './aws-cost.js';
import { type RefusalCode, refusal, refusalCodeOf } from './errors.js';
import { findHostileArgument } from './input-screen.js';
import type { LimitSettings } from './settings.js';

/**
 * Limits on what one request may ask, all checked before execution so a refused operation costs no AWS call:
 *
 * 1. query text: size in bytes and lexical tokens (`checkQueryText`, from the HTTP layer, before parsing);
 * 2. document shape: depth, aliases, directives and structural cost (graphql-armor validation rules);
 * 3. operation and arguments: operation type, variable coercion, hostile values, id list lengths and the static
 *    AWS-call estimate against the per-operation budget (`operationChecksPlugin`, once variables are known).
 *
 * graphql-armor's own token plugin is not used: it parses in a plugin hook, and Apollo Server turns any error thrown
 * there, syntax errors included, into an HTTP 500.
 */

const SYNTAX_PREFIX = /^Syntax Error: /;

/** Byte size and token count of a query text; null when within limits. Comments and commas are not tokens. */
export function checkQueryText(query: unknown, limits: LimitSettings): GraphQLError | null {
  if (typeof query !== 'string') return null;
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > limits.maxQueryBytes) {
    return refusal('QUERY_TOO_LARGE', `The query is ${bytes} bytes long; the limit is ${limits.maxQueryBytes}.`, 413, {
      limit: limits.maxQueryBytes,
    });
  }
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++tokens > limits.maxTokens) {
        return refusal('TOO_MANY_TOKENS', `The query has more than ${limits.maxTokens} tokens.`, 400, { limit: limits.maxTokens });
      }
    }
  } catch {
    // A lexical error: Apollo Server's parser reports it as GRAPHQL_PARSE_FAILED with its position.
  }
  return null;
}

function reportAs(code: RefusalCode, limit: number) {
  return [
    (context: ValidationContext | null, error: GraphQLError) => {
      context?.reportError(refusal(code, error.message.replace(SYNTAX_PREFIX, ''), 400, { limit }));
    },
  ];
}

/**
 * graphql-armor's depth, alias, directive and cost rules, reporting our codes. Introspection does not count toward
 * depth or cost (GraphiQL's introspection query nests `ofType` deeply); `__typename` aliases are free.
 */
export function limitValidation(limits: LimitSettings, options: { hideSchemaHints: boolean }): {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
} {
  const armor = new ApolloArmor({
    maxTokens: { enabled: false },
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, onReject: reportAs('QUERY_TOO_DEEP', limits.maxDepth), propagateOnRejection: false },
    maxAliases: { n: limits.maxAliases, onReject: reportAs('TOO_MANY_ALIASES', limits.maxAliases), propagateOnRejection: false },
    maxDirectives: { n: limits.maxDirectives, onReject: reportAs('TOO_MANY_DIRECTIVES', limits.maxDirectives), propagateOnRejection: false },
    costLimit: {
      maxCost: limits.maxComplexity,
      ignoreIntrospection: true,
      onReject: reportAs('QUERY_TOO_COMPLEX', limits.maxComplexity),
      propagateOnRejection: false,
    },
    blockFieldSuggestion: { enabled: options.hideSchemaHints },
  }).protect();
  return { validationRules: armor.validationRules as ValidationRule[], plugins: armor.plugins as ApolloServerPlugin[] };
}

export interface OperationCheckOptions {
  limits: LimitSettings;
  /** AWS requests one operation may make (AWS_CALL_BUDGET). */
  callBudget: number;
  defaultPageSize: number;
}

function badUserInput(message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', ...extensions, http: { status: 400 } } });
}

/**
 * Once the operation and its variables are known, and before anything executes: refuses operation types this API
 * does not serve, variables that do not coerce, hostile argument values (input-screen.ts), id lists longer than
 * allowed, and operations whose AWS-call estimate exceeds the budget. The ledger in AwsCaller enforces the same
 * budget on the calls actually made, retries included.
 */
export function operationChecksPlugin(options: OperationCheckOptions): ApolloServerPlugin {
  const { limits, callBudget, defaultPageSize } = options;
  // The outcome depends only on the document and the variables: a repeated operation is not walked again.
  const checks = new DocumentMemo<Error | null>();

  function checkOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): void {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
    if (coerced.errors) throw badUserInput(coerced.errors[0]!.message);
    const hostile = findHostileArgument({ schema, document, operation }, coerced.coerced);
    if (hostile) throw badUserInput(`Argument "${hostile.argument}" ${hostile.rule}.`, { argument: hostile.argument });

    const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
    const estimate = estimateAwsCalls(schema, operation, fragments, coerced.coerced, { defaultPageSize, maxListIds: limits.maxListIds });
    if (estimate.tooLong) {
      const { argument, length } = estimate.tooLong;
      throw refusal('LIST_TOO_LONG', `Argument "${argument}" has ${length} items; the limit is ${limits.maxListIds}.`, 400, {
        argument,
        limit: limits.maxListIds,
      });
    }
    if (estimate.awsCalls > callBudget) {
      throw refusal(
        'AWS_CALL_BUDGET_EXCEEDED',
        `This operation may need up to ${estimate.awsCalls} AWS calls; the limit per operation is ${callBudget}. Ask for fewer items (first, ids) or fewer nested fields.`,
        400,
        { estimatedAwsCalls: estimate.awsCalls, awsCallBudget: callBudget },
      );
    }
  }

  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          // graphql-js 16 lets an operation of a type the schema lacks through validation, and then fails it as an
          // unexpected execution error; this API only has queries.
          if (operation.operation !== 'query') {
            throw new GraphQLError(`This API serves queries only; it has no ${operation.operation} type.`, {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
            });
          }
          const refused = checks.get(document, variablesKey(request.operationName, request.variables), () => {
            try {
              checkOperation(schema, document, operation, request.variables ?? {});
              return null;
            } catch (error) {
              return error as Error;
            }
          });
          if (refused) throw refused;
        },
      };
    },
  };
}

/** Counts refusals by code in the metrics, whichever layer refused. */
export function refusalMetricsPlugin(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, operation }) {
          // Refusals come before execution: errors raised while executing (an AWS budget hit mid-way) are not.
          if (operation && errors.some((e) => e.path)) return;
          const codes = new Set(errors.map(refusalCodeOf).filter((c) => c !== undefined));
          for (const code of codes) metrics.requestsRefused.inc({ code });
        },
      };
    },
  };
}
