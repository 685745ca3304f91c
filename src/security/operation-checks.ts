import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getVariableValues,
} from 'graphql';
import type { GatewayContext } from '../context.js';
import { refusal } from '../errors.js';
import type { FederationSettings, LimitSettings } from './settings.js';
import { sizesListsByVariables, structuralCost } from './structural-cost.js';

/**
 * Checks of an operation that need what validation rules do not have: the variables' values and the caller. One
 * plugin in `didResolveOperation`, before the preflight (listed first among the plugins), at zero AWS calls:
 *  - `_service { sdl }`, the whole schema, only where allowed (FEDERATION_SDL, or a router's credential): in
 *    production introspection is off, and the SDL would give it all away;
 *  - the structural cost (MAX_COMPLEXITY) with the variables' values, when lists are sized by variables
 *    (structural-cost.ts);
 *  - and, after execution, the size of an introspection answer (MAX_INTROSPECTION_BYTES): introspection costs no
 *    AWS call, and the validation rule (selection-limits.ts) bounds its shape; this bounds what that lets through.
 * What an operation selects at its root is worked out once per document (Apollo Server hands the same document
 * object to every request with the same query text).
 */

/** What the checks need to know of an operation, whatever its variables. */
interface OperationShape {
  /** `_entities` fields at the root (through fragments). */
  entities: FieldNode[];
  /** Whether it selects `_service` at the root. */
  service: boolean;
  /** Whether it selects `__schema` or `__type` at the root. */
  introspection: boolean;
  /** Whether a `first` or `last` argument anywhere in the document is a variable. */
  sizedByVariables: boolean;
}

function fragmentsOf(document: { definitions: readonly { kind: string }[] }): Map<string, FragmentDefinitionNode> {
  const out = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      const fragment = definition as FragmentDefinitionNode;
      out.set(fragment.name.value, fragment);
    }
  return out;
}

/** The fields of a selection set, its inline fragments and spread fragments included (each fragment once). */
function collectFields(
  set: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  into: FieldNode[],
  seen = new Set<string>(),
): FieldNode[] {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) into.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) collectFields(selection.selectionSet, fragments, into, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = fragments.get(selection.name.value);
      if (fragment) collectFields(fragment.selectionSet, fragments, into, seen);
    }
  }
  return into;
}

const shapes = new WeakMap<OperationDefinitionNode, OperationShape>();

function shapeOf(document: { definitions: readonly { kind: string }[] }, operation: OperationDefinitionNode) {
  let shape = shapes.get(operation);
  if (!shape) {
    const root = collectFields(operation.selectionSet, fragmentsOf(document), []);
    shape = {
      entities: root.filter((field) => field.name.value === '_entities'),
      service: root.some((field) => field.name.value === '_service'),
      introspection: root.some((field) => field.name.value === '__schema' || field.name.value === '__type'),
      sizedByVariables: sizesListsByVariables(document as DocumentNode),
    };
    shapes.set(operation, shape);
  }
  return shape;
}

const SDL_REFUSED = () =>
  new GraphQLError(
    'The subgraph SDL (_service) is not served to this caller: routers read it from the schema file ' +
      '(npm run schema:print), or call with a router credential.',
    { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } },
  );

export interface OperationChecksOptions {
  federation: FederationSettings;
  limits: LimitSettings;
}

export function operationChecksPlugin({
  federation,
  limits,
}: OperationChecksOptions): ApolloServerPlugin<GatewayContext> {
  const { sdlForEveryone, sdlCallers } = federation;
  return {
    async requestDidStart() {
      let introspection = false;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return;
          const shape = shapeOf(document, operation);
          if (shape.service && !sdlForEveryone && !sdlCallers.has(contextValue.caller?.id ?? '')) throw SDL_REFUSED();
          introspection = shape.introspection;
          if (!shape.sizedByVariables) return;
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, {
            maxErrors: 1,
          });
          // Variables that do not coerce are the preflight's to refuse.
          if (!coerced.coerced) return;
          if (shape.sizedByVariables) {
            const cost = structuralCost(operation, fragmentsOf(document), coerced.coerced);
            if (cost > limits.maxComplexity) {
              throw refusal(
                'QUERY_TOO_COMPLEX',
                `Query Cost limit of ${limits.maxComplexity} exceeded, found ${cost} with the variables' values.`,
                400,
                { limit: limits.maxComplexity },
              );
            }
          }
          // Representations are screened one by one by the preflight: one that names no entity type is null
          // with BAD_USER_INPUT at its own index (src/federation/entities.ts), its siblings still answer.
        },
        async willSendResponse({ response }) {
          if (!introspection || response.body.kind !== 'single') return;
          const { data } = response.body.singleResult;
          const bytes = data ? Buffer.byteLength(JSON.stringify(data)) : 0;
          if (bytes <= limits.maxIntrospectionBytes) return;
          const message = `The introspection answer is ${bytes} bytes; the limit is ${limits.maxIntrospectionBytes}.`;
          response.body.singleResult = {
            errors: [{ message, extensions: { code: 'INTROSPECTION_TOO_LARGE', limit: limits.maxIntrospectionBytes } }],
          };
          response.http.status = 400;
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}
