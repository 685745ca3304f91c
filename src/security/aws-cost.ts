import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLObjectType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getArgumentValues,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
} from 'graphql';

/**
 * A static upper bound of the AWS requests an operation can make, from its fields and arguments (variables
 * included), before any of it runs. It assumes an empty cache and first attempts that succeed: retries and cache
 * misses beyond it are caught by the per-operation ledger in AwsCaller. graphql-armor's cost model counts response
 * size (objects, scalars, literal `first`); it cannot see variables or which fields trigger which AWS calls, hence
 * this model. It must follow the resolvers and loaders (src/modules/*):
 *
 * - a single lookup (`eventStream`, `eventTracker`, `datasetGroup`, `internetEvent`, `node`) costs 1 call;
 * - `nodes(ids)` and `_entities(representations)` cost 1 per id;
 * - a connection costs CONNECTION_PAGES list calls (paginate() reads up to two extra pages when AWS returns short
 *   ones), and its `first` items come from list summaries;
 * - an item that came from a list summary costs one Get/Describe more when the selection asks for a member the
 *   summary lacks (event stream createdAt and destination message; tracker trackingId, datasetGroupArn, datasetGroup);
 * - `EventTracker.datasetGroup` costs 1 per tracker; `DatasetGroup.eventTrackers` costs one list call per group, and
 *   AWS allows one tracker per dataset group, so its items count once.
 */

export const CONNECTION_PAGES = 3;
const TRACKERS_PER_DATASET_GROUP = 1;

type Mode = 'full' | 'summary';

interface Rule {
  /** Calls per parent instance. */
  calls: number;
  /** Calls per item of an id list argument (`ids`, `representations`), instead of `calls`. */
  perItemOf?: string;
  /** A connection: `first` items in this mode. */
  connection?: Mode;
  /** A list of a fixed assumed size, in this mode. */
  list?: { size: number; mode: Mode };
}

const RULES: Record<string, Rule> = {
  'Query.node': { calls: 1 },
  'Query.nodes': { calls: 0, perItemOf: 'ids' },
  'Query._entities': { calls: 0, perItemOf: 'representations' },
  'Query.eventStream': { calls: 1 },
  'Query.eventStreams': { calls: CONNECTION_PAGES, connection: 'summary' },
  'Query.eventTracker': { calls: 1 },
  'Query.eventTrackers': { calls: CONNECTION_PAGES, connection: 'summary' },
  'Query.datasetGroup': { calls: 1 },
  'Query.internetEvent': { calls: 1 },
  'Query.internetEvents': { calls: CONNECTION_PAGES, connection: 'full' },
  'EventTracker.datasetGroup': { calls: 1 },
  'DatasetGroup.eventTrackers': { calls: 1, list: { size: TRACKERS_PER_DATASET_GROUP, mode: 'summary' } },
};

/** Members a list summary lacks, per type: asking for one costs a Get/Describe per summary item. */
const DETAIL_FIELDS: Record<string, (fields: Map<string, FieldNode[]>, walk: Walk, type: GraphQLObjectType) => boolean> = {
  EventStream: (fields, walk, type) =>
    hasField(fields, 'createdAt') || subFieldRequested(fields, 'destination', 'message', walk, type),
  EventTracker: (fields) => hasField(fields, 'trackingId') || hasField(fields, 'datasetGroupArn') || hasField(fields, 'datasetGroup'),
};

export interface CostOptions {
  /** `first` when omitted. */
  defaultPageSize: number;
  /** Longest id list allowed; longer ones are reported in `tooLong`. */
  maxListIds: number;
}

export interface CostEstimate {
  awsCalls: number;
  /** The first id list longer than allowed, if any. */
  tooLong?: { argument: string; length: number };
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  options: CostOptions;
  memo: Map<string, number>;
  setIds: WeakMap<SelectionSetNode, number>;
  nextSetId: number;
  tooLong?: { argument: string; length: number };
}

/**
 * `variables` must be coerced (graphql's getVariableValues): estimates of operations whose variables do not coerce
 * are meaningless, and those are refused by Apollo Server anyway.
 */
export function estimateAwsCalls(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
  variables: Record<string, unknown>,
  options: CostOptions,
): CostEstimate {
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return { awsCalls: 0 };
  const walk: Walk = {
    schema,
    fragments: new Map(fragments.map((f) => [f.name.value, f])),
    variables,
    options,
    memo: new Map(),
    setIds: new WeakMap(),
    nextSetId: 0,
  };
  const awsCalls = costOf(walk, [operation.selectionSet], root, 'full', 0);
  return walk.tooLong ? { awsCalls, tooLong: walk.tooLong } : { awsCalls };
}

/** Calls made per instance of `type` selected with `sets`. Abstract types cost their most expensive member. */
function costOf(walk: Walk, sets: SelectionSetNode[], type: GraphQLCompositeType, mode: Mode, pageSize: number): number {
  if (isAbstractType(type)) {
    let max = 0;
    for (const member of walk.schema.getPossibleTypes(type)) max = Math.max(max, costOf(walk, sets, member, mode, pageSize));
    return max;
  }
  const key = `${sets.map((s) => setId(walk, s)).join(',')}|${type.name}|${mode}|${pageSize}`;
  const known = walk.memo.get(key);
  if (known !== undefined) return known;
  // Guards against a cycle through merged selection sets while this entry is computed (validation forbids
  // fragment cycles, but the estimate must never recurse without bound).
  walk.memo.set(key, 0);

  const fields = collectFields(walk, sets, type);
  let total = mode === 'summary' && DETAIL_FIELDS[type.name]?.(fields, walk, type) ? 1 : 0;
  const isConnection = type.name.endsWith('Connection');
  const isEdge = type.name.endsWith('Edge');

  for (const nodes of fields.values()) {
    const name = nodes[0]!.name.value;
    if (name.startsWith('__')) continue;
    const definition = type.getFields()[name];
    if (!definition) continue;
    const childType = getNamedType(definition.type);
    const subSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    const child = (childMode: Mode, childPageSize = 0) =>
      subSets.length && isCompositeType(childType) ? costOf(walk, subSets, childType, childMode, childPageSize) : 0;

    const rule = RULES[`${type.name}.${name}`];
    if (rule) {
      const args = argumentsOf(walk, definition, nodes[0]!);
      if (rule.perItemOf) {
        const items = listLength(walk, rule.perItemOf, args[rule.perItemOf]);
        total += items * (1 + child('full'));
      } else if (rule.connection) {
        const first = pageSizeOf(args.first, walk.options.defaultPageSize);
        // An invalid `first` is refused before any AWS call (argument checks), so it costs nothing.
        if (first > 0) total += rule.calls + child(rule.connection, first);
      } else if (rule.list) {
        total += rule.calls + rule.list.size * child(rule.list.mode);
      } else {
        total += rule.calls + child('full');
      }
    } else if (isConnection && (name === 'nodes' || name === 'edges')) {
      total += pageSize * child(mode);
    } else if (isEdge && name === 'node') {
      total += child(mode);
    } else {
      total += child('full');
    }
  }
  walk.memo.set(key, total);
  return total;
}

function setId(walk: Walk, set: SelectionSetNode): number {
  let id = walk.setIds.get(set);
  if (id === undefined) {
    id = walk.nextSetId++;
    walk.setIds.set(set, id);
  }
  return id;
}

function collectFields(
  walk: Walk,
  sets: readonly SelectionSetNode[],
  type: GraphQLObjectType,
  into: Map<string, FieldNode[]> = new Map(),
  visited: Set<string> = new Set(),
): Map<string, FieldNode[]> {
  for (const set of sets) {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = into.get(key);
        if (list) list.push(selection);
        else into.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!selection.typeCondition || applies(walk, selection.typeCondition.name.value, type)) {
          collectFields(walk, [selection.selectionSet], type, into, visited);
        }
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = walk.fragments.get(name);
        if (fragment && applies(walk, fragment.typeCondition.name.value, type)) collectFields(walk, [fragment.selectionSet], type, into, visited);
      }
    }
  }
  return into;
}

function applies(walk: Walk, condition: string, type: GraphQLObjectType): boolean {
  const conditionType = walk.schema.getType(condition);
  if (!conditionType) return false;
  if (conditionType === type) return true;
  return isAbstractType(conditionType) && walk.schema.isSubType(conditionType, type);
}

function hasField(fields: Map<string, FieldNode[]>, name: string): boolean {
  for (const nodes of fields.values()) if (nodes[0]!.name.value === name) return true;
  return false;
}

function subFieldRequested(fields: Map<string, FieldNode[]>, parent: string, name: string, walk: Walk, type: GraphQLObjectType): boolean {
  const definition = type.getFields()[parent];
  const childType = definition && getNamedType(definition.type);
  if (!childType || !isObjectType(childType)) return false;
  for (const nodes of fields.values()) {
    if (nodes[0]!.name.value !== parent) continue;
    const sets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    if (hasField(collectFields(walk, sets, childType), name)) return true;
  }
  return false;
}

function argumentsOf(walk: Walk, definition: Parameters<typeof getArgumentValues>[0], node: FieldNode): Record<string, unknown> {
  try {
    return getArgumentValues(definition, node, walk.variables);
  } catch {
    // Arguments that do not coerce make execution fail before any resolver runs.
    return {};
  }
}

function pageSizeOf(first: unknown, fallback: number): number {
  if (first === null || first === undefined) return fallback;
  return typeof first === 'number' && Number.isInteger(first) && first >= 1 && first <= 100 ? first : 0;
}

function listLength(walk: Walk, argument: string, value: unknown): number {
  const length = Array.isArray(value) ? value.length : value === null || value === undefined ? 0 : 1;
  if (length > walk.options.maxListIds && !walk.tooLong) walk.tooLong = { argument, length };
  return length;
}
