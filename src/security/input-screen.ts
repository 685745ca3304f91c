import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  getArgumentValues,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/**
 * Defence in depth for the values that end up in AWS request paths and bodies: whatever the field, no argument of
 * this API (names, ARNs, ids, regions, cursors, dates) legitimately holds path segments (`..`, `//`, `\`),
 * percent-encoding, control or invisible characters, or anything outside printable ASCII. The modules check each
 * argument against AWS's own patterns; this screen refuses the tricks wholesale, before any resolver runs, including
 * in nested input values such as federation representations.
 */

const HOSTILE = /\.\.|%|\\|\/\/|[^\x20-\x7E]/;
const MAX_NESTING = 16;

type Finding = { argument: string; rule: string };

function screen(value: unknown, argument: string, depth = 0): Finding | null {
  if (typeof value === 'string') {
    return HOSTILE.test(value)
      ? { argument, rule: 'must not contain path segments (.., //, \\), percent-encoding, control characters or non-ASCII characters' }
      : null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_NESTING) return { argument, rule: `must not nest deeper than ${MAX_NESTING} levels` };
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, item] of entries) {
    if (!Array.isArray(value) && HOSTILE.test(key)) return { argument, rule: 'must not have keys with path segments, percent-encoding or control characters' };
    const found = screen(item, Array.isArray(value) ? `${argument}[${key}]` : `${argument}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** The first hostile argument value in the operation (fragments included), or null. */
export function findHostileArgument(
  schemaArgs: { schema: GraphQLSchema; document: DocumentNode; operation: OperationDefinitionNode },
  variables: Record<string, unknown>,
): Finding | null {
  const { schema, document, operation } = schemaArgs;
  const typeInfo = new TypeInfo(schema);
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  let found: Finding | null = null;
  for (const definition of [operation, ...fragments]) {
    visit(
      definition,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          // Introspection arguments (`__type(name:)`) never reach AWS.
          if (found || !node.arguments?.length || node.name.value.startsWith('__')) return;
          const fieldDef = typeInfo.getFieldDef();
          if (!fieldDef) return;
          let args: Record<string, unknown>;
          try {
            args = getArgumentValues(fieldDef, node, variables);
          } catch {
            return;
          }
          for (const [name, value] of Object.entries(args)) {
            found = screen(value, name);
            if (found) return;
          }
        },
      }),
    );
    if (found) break;
  }
  return found;
}
