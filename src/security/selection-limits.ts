import {
  type ASTVisitor,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  visit,
} from 'graphql';
import { refusal } from '../errors.js';
import type { LimitSettings } from './settings.js';

/**
 * Limits on the shape of a document that graphql-armor's rules do not see.
 *
 * Width and repeats (`checkSelections`). graphql-js's OverlappingFieldsCanBeMerged rule compares every pair of
 * selections that share a response key: 300 copies of one field in a 13 KB query pass every other limit and cost
 * 80 ms of CPU in validation alone. So the document is refused, before Apollo Server validates it, when one
 * selection set (its inline fragments and spread fragments counted in) holds more than MAX_SELECTIONS selections or
 * more than MAX_FIELD_REPEATS of one response key. Linear in the document: each fragment's count is taken once.
 *
 * Introspection (`introspectionRule`). graphql-armor leaves introspection out of its depth and cost limits (tools
 * nest `ofType` deeply), and aliases of `__schema` multiply the whole schema: 100 of them answered 5.4 MB. So an
 * operation selects `__schema` at most once and `__type` at most a few times, with few aliases inside, at most
 * MAX_INTROSPECTION_DEPTH deep, and no path nests more than three lists (`types { fields { args } }`, the deepest
 * GraphiQL asks for) or one list twice (`fields { type { fields ... } }` multiplies at every level).
 */

interface Counts {
  keys: Map<string, number>;
  total: number;
}

const EMPTY: Counts = { keys: new Map(), total: 0 };

/** Response keys of a selection set, its fragments included, as the executor would collect them. */
class SelectionCounter {
  private readonly sets = new WeakMap<SelectionSetNode, Counts>();
  private readonly fragmentCounts = new Map<string, Counts>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    /** Counting stops past this total: the set is refused anyway, and a bomb must not cost the counter time. */
    private readonly cap: number,
  ) {}

  of(set: SelectionSetNode): Counts {
    const known = this.sets.get(set);
    if (known) return known;
    const counts: Counts = { keys: new Map(), total: 0 };
    for (const selection of set.selections) {
      if (counts.total > this.cap) break;
      if (selection.kind === Kind.FIELD) add(counts, selection.alias?.value ?? selection.name.value, 1);
      else if (selection.kind === Kind.INLINE_FRAGMENT) merge(counts, this.of(selection.selectionSet));
      else merge(counts, this.fragment(selection.name.value));
    }
    this.sets.set(set, counts);
    return counts;
  }

  private fragment(name: string): Counts {
    const known = this.fragmentCounts.get(name);
    if (known) return known;
    const fragment = this.fragments.get(name);
    // A cycle or an unknown fragment: validation refuses it with its own message.
    if (!fragment || this.visiting.has(name)) return EMPTY;
    this.visiting.add(name);
    const counts = this.of(fragment.selectionSet);
    this.visiting.delete(name);
    this.fragmentCounts.set(name, counts);
    return counts;
  }
}

function add(counts: Counts, key: string, n: number): void {
  counts.keys.set(key, (counts.keys.get(key) ?? 0) + n);
  counts.total += n;
}

function merge(into: Counts, from: Counts): void {
  for (const [key, n] of from.keys) add(into, key, n);
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const out = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) out.set(definition.name.value, definition);
  return out;
}

/** SELECTION_TOO_WIDE or TOO_MANY_REPEATED_FIELDS for the first selection set over the limits, or null. */
export function checkSelections(document: DocumentNode, limits: LimitSettings): GraphQLError | null {
  const counter = new SelectionCounter(fragmentsOf(document), limits.maxSelections);
  let found: GraphQLError | null = null;
  visit(document, {
    SelectionSet(set) {
      if (found) return false;
      const { keys, total } = counter.of(set);
      for (const [key, n] of keys) {
        // __typename costs nothing to merge or answer (graphql-armor lets its aliases through too).
        if (n > limits.maxFieldRepeats && key !== '__typename') {
          found = refusal(
            'TOO_MANY_REPEATED_FIELDS',
            `"${key.slice(0, 100)}" is selected ${n} times in one selection set; ` +
              `the limit is ${limits.maxFieldRepeats}.`,
            400,
            { limit: limits.maxFieldRepeats },
          );
          return false;
        }
      }
      if (total > limits.maxSelections) {
        found = refusal(
          'SELECTION_TOO_WIDE',
          `A selection set holds more than ${limits.maxSelections} selections (fragments included).`,
          400,
          { limit: limits.maxSelections },
        );
        return false;
      }
      return undefined;
    },
  });
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Introspection

/** Root introspection fields an operation may select, by response key. GraphiQL and Apollo tools ask for one. */
const MAX_SCHEMA_FIELDS = 1;
const MAX_TYPE_FIELDS = 10;
/** Aliases inside introspection selections (each one repeats what it aliases). */
const MAX_INTROSPECTION_ALIASES = 5;
/** Lists nested on one path: `__schema { types { fields { args } } }` is GraphiQL's deepest. */
const MAX_NESTED_LISTS = 3;
/** Selections walked inside introspection: GraphiQL's whole query, fragments expanded, is about 300. */
const MAX_INTROSPECTION_SELECTIONS = 5_000;
/** Fields of the introspection types that return lists: what an introspection bomb multiplies. */
const LIST_FIELDS = new Set([
  'types',
  'directives',
  'fields',
  'args',
  'inputFields',
  'interfaces',
  'possibleTypes',
  'enumValues',
]);

function tooComplex(context: ValidationContext, message: string, extensions: Record<string, unknown>): void {
  context.reportError(refusal('INTROSPECTION_TOO_COMPLEX', message, 400, extensions));
}

/**
 * A validation rule: document-only, so Apollo Server runs it once per document text. Errors name the limit, so
 * that a tool author knows what to trim.
 */
export function introspectionRule(limits: LimitSettings): (context: ValidationContext) => ASTVisitor {
  return (context) => {
    const fragments = fragmentsOf(context.getDocument());
    return {
      OperationDefinition(operation) {
        // Root fields by response key, fragments included: aliases of __schema are the multiplying trick.
        const roots = new Map<string, FieldNode>();
        const collect = (set: SelectionSetNode, seen: Set<string>) => {
          for (const selection of set.selections) {
            if (selection.kind === Kind.FIELD) roots.set(selection.alias?.value ?? selection.name.value, selection);
            else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet, seen);
            else if (!seen.has(selection.name.value)) {
              seen.add(selection.name.value);
              const fragment = fragments.get(selection.name.value);
              if (fragment) collect(fragment.selectionSet, seen);
            }
          }
        };
        collect(operation.selectionSet, new Set());
        const introspection = [...roots.values()].filter(
          (f) => f.name.value === '__schema' || f.name.value === '__type',
        );
        const schemaFields = introspection.filter((f) => f.name.value === '__schema').length;
        const typeFields = introspection.length - schemaFields;
        if (schemaFields > MAX_SCHEMA_FIELDS || typeFields > MAX_TYPE_FIELDS) {
          tooComplex(
            context,
            `Introspection selects __schema ${schemaFields} and __type ${typeFields} times; the limits are ` +
              `${MAX_SCHEMA_FIELDS} and ${MAX_TYPE_FIELDS}.`,
            { limit: MAX_SCHEMA_FIELDS + MAX_TYPE_FIELDS },
          );
          return false;
        }
        let aliases = 0;
        let visits = 0;
        // A holder, not a plain variable: TypeScript cannot see the closure below assign it.
        const found: { problem: { message: string; limit: number } | null } = { problem: null };
        const walk = (set: SelectionSetNode, depth: number, lists: readonly string[], seen: ReadonlySet<string>) => {
          for (const selection of set.selections) {
            if (found.problem) return;
            // Fragments spread twice at each level would double the walk at every level: it is bounded instead.
            if (++visits > MAX_INTROSPECTION_SELECTIONS) {
              found.problem = {
                message: `Introspection selects more than ${MAX_INTROSPECTION_SELECTIONS} fields.`,
                limit: MAX_INTROSPECTION_SELECTIONS,
              };
            } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, depth, lists, seen);
            else if (selection.kind === Kind.FRAGMENT_SPREAD) {
              const fragment = fragments.get(selection.name.value);
              if (!fragment || seen.has(selection.name.value)) continue;
              walk(fragment.selectionSet, depth, lists, new Set([...seen, selection.name.value]));
            } else {
              const name = selection.name.value;
              if (selection.alias && name !== '__typename' && ++aliases > MAX_INTROSPECTION_ALIASES)
                found.problem = {
                  message: `Introspection uses more than ${MAX_INTROSPECTION_ALIASES} aliases.`,
                  limit: MAX_INTROSPECTION_ALIASES,
                };
              else if (depth + 1 > limits.maxIntrospectionDepth)
                found.problem = {
                  message: `Introspection nests deeper than ${limits.maxIntrospectionDepth} levels.`,
                  limit: limits.maxIntrospectionDepth,
                };
              else if (LIST_FIELDS.has(name) && lists.includes(name))
                found.problem = { message: `Introspection nests "${name}" inside "${name}".`, limit: 1 };
              else if (LIST_FIELDS.has(name) && lists.length >= MAX_NESTED_LISTS)
                found.problem = {
                  message: `Introspection nests more than ${MAX_NESTED_LISTS} lists on one path.`,
                  limit: MAX_NESTED_LISTS,
                };
              else if (selection.selectionSet)
                walk(selection.selectionSet, depth + 1, LIST_FIELDS.has(name) ? [...lists, name] : lists, seen);
            }
          }
        };
        for (const root of introspection) {
          if (root.selectionSet) walk(root.selectionSet, 1, [], new Set());
          if (found.problem) break;
        }
        if (found.problem) tooComplex(context, found.problem.message, { limit: found.problem.limit });
        return false;
      },
    };
  };
}
