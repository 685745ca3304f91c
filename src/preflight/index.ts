import type { ApolloServerPlugin } from '@apollo/server';
import { type FragmentDefinitionNode, GraphQLError, Kind, getVariableValues } from 'graphql';
import { GatewayError, refusal } from '../errors.js';
import type { Config } from '../config.js';
import type { GatewayContext, PreflightNotes } from '../context.js';
import type { LimitSettings } from '../security/settings.js';
import type { ModuleCatalog } from '../catalog.js';
import { DocumentMemo, variablesKey } from './document-memo.js';
import { type WalkCatalog, walkOperation } from './walk.js';

export interface PreflightOptions {
  config: Config;
  catalog: ModuleCatalog;
  limits: LimitSettings;
  /** AWS requests one operation may make (AWS_CALL_BUDGET). */
  callBudget: number;
}

/** What the preflight decided for one operation and its variables. */
type Verdict = { refused: Error } | { refused: null; notes: PreflightNotes | undefined };

/** A placeholder scope for grouping ids by account when the gateway's own account is not known yet. */
const UNKNOWN_SCOPE = { partition: 'aws', accountId: '000000000000' };

function badRequest(error: Error): GraphQLError {
  const extensions = error instanceof GraphQLError ? error.extensions : {};
  return new GatewayError(error.message, 'BAD_USER_INPUT', { ...extensions, http: { status: 400 } });
}

/**
 * The one check before execution. Once Apollo Server has parsed and validated the document (document-only limits:
 * depth, aliases, directives, structural cost, in graphql-js's single validation pass), this plugin coerces the
 * variables once and walks the operation once (walk.ts), deciding at zero AWS calls: the operation type, variables
 * that do not coerce, hostile argument values, the modules' argument rules, id lists longer than allowed, and the
 * AWS-call estimate against the budget. A refused operation costs nothing. The verdict depends only on the document
 * and the variables, so a repeated operation is not walked again.
 *
 * Limits and the budget refuse the whole operation. Arguments are decided per root field: a field whose arguments
 * break a rule (or hold a hostile value) is noted in `refusedFields`, and refusals.ts makes it answer null with that
 * error, without running its resolver, while its siblings run; entity representations are decided one by one
 * (`refusedEntities`, applied by entities.ts). A router's subgraph fetch carries several client fields at once: one
 * bad value must not take the others with it.
 *
 * Budget: an operation whose cost is certain to exceed the budget (its floor: every connection empty) is refused.
 * One whose bound exceeds it only if its connections come back full runs, and each root connection reserves what
 * its items may cost when its page arrives (budget.ts): a natural page over little data is answered, a fan-out
 * over much data is refused before its nested calls are made.
 */
export function preflightPlugin(options: PreflightOptions): ApolloServerPlugin<GatewayContext> {
  const { config, catalog, limits, callBudget } = options;
  const verdicts = new DocumentMemo<Verdict>();
  // The accounts a list may name include the gateway's own, learnt at run time: the rules take it per request.
  const argumentRulesAt = (scope: { partition: string; accountId: string } | undefined) =>
    new Map(
      [...catalog.argumentRules].map(([field, rule]) => [
        field,
        (args: Record<string, unknown>) => rule(config, args as never, scope),
      ]),
    );

  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          // graphql-js 16 lets an operation of a type the schema lacks through validation, and then fails it as an
          // unexpected execution error.
          const rootType =
            operation.operation === 'query'
              ? schema.getQueryType()
              : operation.operation === 'mutation'
                ? schema.getMutationType()
                : null;
          if (!rootType) {
            throw new GraphQLError(`This API has no ${operation.operation} type.`, {
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
            });
          }
          const known = 'accountId' in contextValue.scope ? contextValue.scope : undefined;
          const scope = known ?? UNKNOWN_SCOPE;
          const memoKey = `${scope.accountId}\u0000${variablesKey(request.operationName, request.variables)}`;
          const verdict = verdicts.get(document, memoKey, () => {
            const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, {
              maxErrors: 1,
            });
            const [coercionError] = coerced.errors ?? [];
            if (coercionError || !coerced.coerced)
              return { refused: badRequest(coercionError ?? new Error('Invalid variables.')) };
            const walkCatalog: WalkCatalog = {
              costs: catalog.costs,
              summaryGaps: catalog.summaryGaps,
              argumentRules: argumentRulesAt(known),
              nodeForms: catalog.nodeForms,
              nodeIdContext: { scope, config },
              defaultPageSize: config.defaultPageSize,
              maxListIds: limits.maxListIds,
              maxEntities: limits.maxEntities,
            };
            const fragments = document.definitions.filter(
              (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
            );
            const walked = walkOperation(schema, operation, fragments, coerced.coerced, walkCatalog);
            if (walked.argumentError) return { refused: badRequest(walked.argumentError) };
            if (walked.tooLong) {
              const { argument, length } = walked.tooLong;
              return {
                refused: refusal(
                  'LIST_TOO_LONG',
                  `Argument "${argument}" has ${length} items; the limit is ${limits.maxListIds}.`,
                  400,
                  {
                    argument,
                    limit: limits.maxListIds,
                  },
                ),
              };
            }
            if (walked.floor > callBudget) {
              return {
                refused: refusal(
                  'AWS_CALL_BUDGET_EXCEEDED',
                  `This operation needs at least ${walked.floor} AWS calls; the limit per operation is ${callBudget}. Ask for fewer items (first, ids) or fewer nested fields.`,
                  400,
                  { estimatedAwsCalls: walked.floor, awsCallBudget: callBudget },
                ),
              };
            }
            // Within the budget even with full pages: nothing to reserve at run time.
            const itemCosts = walked.bound > callBudget ? walked.itemCosts : new Map<string, number>();
            const notes: PreflightNotes = {
              itemCosts,
              refusedFields: walked.fieldErrors,
              refusedEntities: walked.entityErrors,
            };
            const noted = itemCosts.size > 0 || walked.fieldErrors.size > 0 || walked.entityErrors.size > 0;
            return { refused: null, notes: noted ? notes : undefined };
          });
          if (verdict.refused) throw verdict.refused;
          if (verdict.notes) contextValue.preflight = verdict.notes;
        },
      };
    },
  };
}
