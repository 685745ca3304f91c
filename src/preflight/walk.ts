import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
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
import { type Arn, parseArn } from '../resource/arn.js';
import type { ResourceIdentity } from '../resource/identity.js';
import type { Completeness, FieldCost, NodeIdContext, NodeForm } from '../service-module.js';
import { screenArgument } from './input-screen.js';

/**
 * The preflight's single walk over an operation, with its variables coerced: for every field it screens the
 * argument values (input-screen.ts), runs the field's argument rule (the modules' `argumentRules`), and adds up the
 * AWS calls the field can cost from the modules' `costs`, `summaryGaps` and node forms, which are computed from
 * the plans their loaders execute. Nothing here knows a service.
 *
 * The estimate assumes an empty cache and first attempts that succeed (the ledger in AwsCaller counts retries and
 * enforces the budget on what is really spent). Two figures come out: `bound`, with every connection returning
 * `first` items, and `floor`, with every connection returning none, which is what the operation costs whatever
 * the data. Per root connection, `itemCosts` is what each of its items may cost (reserved when the page arrives).
 */

export interface WalkCatalog {
  costs: ReadonlyMap<string, FieldCost>;
  summaryGaps: ReadonlyMap<string, (has: (path: string) => boolean) => boolean>;
  argumentRules: ReadonlyMap<string, (args: Record<string, unknown>) => unknown>;
  nodeForms: readonly NodeForm[];
  /** How `nodeForms` parse ids here (scope and config of the gateway); the argument name is set per id. */
  nodeIdContext: Omit<NodeIdContext, 'argument' | 'arn'>;
  defaultPageSize: number;
  maxListIds: number;
}

export interface WalkResult {
  bound: number;
  floor: number;
  itemCosts: Map<string, number>;
  /** The first argument error found (hostile value or broken rule), if any. */
  argumentError?: Error;
  /** The first id list longer than allowed, if any. */
  tooLong?: { argument: string; length: number };
}

interface Walk {
  schema: GraphQLSchema;
  catalog: WalkCatalog;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  memo: Map<string, Cost>;
  setIds: WeakMap<SelectionSetNode, number>;
  nextSetId: number;
  argumentsChecked: WeakSet<FieldNode>;
  result: WalkResult;
}

/** Upper bound and floor of the calls made per instance of a type. */
interface Cost {
  bound: number;
  floor: number;
}

const ZERO: Cost = { bound: 0, floor: 0 };

function add(a: Cost, b: Cost, times = 1, floorTimes = times): Cost {
  return { bound: a.bound + b.bound * times, floor: a.floor + b.floor * floorTimes };
}

export function walkOperation(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
  variables: Record<string, unknown>,
  catalog: WalkCatalog,
): WalkResult {
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  const result: WalkResult = { bound: 0, floor: 0, itemCosts: new Map() };
  if (!root) return result;
  const walk: Walk = {
    schema,
    catalog,
    fragments: new Map(fragments.map((f) => [f.name.value, f])),
    variables,
    memo: new Map(),
    setIds: new WeakMap(),
    nextSetId: 0,
    argumentsChecked: new WeakSet(),
    result,
  };
  const total = costOf(walk, [operation.selectionSet], root, 'full', 0, true);
  result.bound = total.bound;
  result.floor = total.floor;
  return result;
}

/** Calls made per instance of `type` selected with `sets`. Abstract types cost their most expensive member. */
function costOf(
  walk: Walk,
  sets: readonly SelectionSetNode[],
  type: GraphQLCompositeType,
  mode: Completeness,
  pageSize: number,
  isRoot = false,
): Cost {
  if (isAbstractType(type)) {
    let max = ZERO;
    for (const member of walk.schema.getPossibleTypes(type)) {
      const cost = costOf(walk, sets, member, mode, pageSize);
      max = { bound: Math.max(max.bound, cost.bound), floor: Math.max(max.floor, cost.floor) };
    }
    return max;
  }
  const key = `${sets.map((s) => setId(walk, s)).join(',')}|${type.name}|${mode}|${pageSize}`;
  const known = walk.memo.get(key);
  if (known !== undefined) return known;
  // Guards against a cycle through merged selection sets while this entry is computed (validation forbids
  // fragment cycles, but the walk must never recurse without bound).
  walk.memo.set(key, ZERO);

  const fields = collectFields(walk, sets, type);
  const gap = mode === 'summary' && walk.catalog.summaryGaps.get(type.name)?.(selects(walk, fields, type));
  let total: Cost = gap ? { bound: 1, floor: 1 } : ZERO;
  const isConnection = type.name.endsWith('Connection');
  const isEdge = type.name.endsWith('Edge');

  for (const [responseKey, nodes] of fields) {
    const [first] = nodes;
    if (!first) continue;
    const name = first.name.value;
    if (name.startsWith('__')) continue;
    const definition = type.getFields()[name];
    if (!definition) continue;
    const args = argumentsOf(walk, type, definition, nodes);
    const childType = getNamedType(definition.type);
    const subSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    const child = (childMode: Completeness, childPageSize = 0) =>
      subSets.length && isCompositeType(childType) ? costOf(walk, subSets, childType, childMode, childPageSize) : ZERO;

    const rule = walk.catalog.costs.get(`${type.name}.${name}`);
    if (rule?.kind === 'ids') {
      total = add(total, idsCost(walk, rule.argument, args, subSets));
    } else if (rule?.kind === 'connection') {
      const size = pageSizeOf(args.first, walk.catalog.defaultPageSize);
      // An invalid `first` is refused before any AWS call (argument rules), so it costs nothing.
      if (size > 0) {
        const perItem = child(rule.items, 1);
        if (isRoot) walk.result.itemCosts.set(responseKey, perItem.bound - child(rule.items, 0).bound);
        const page = child(rule.items, size);
        total = add(total, { bound: rule.pages + page.bound, floor: rule.pages + child(rule.items, 0).floor });
      }
    } else if (rule?.kind === 'list') {
      total = add(total, { bound: rule.calls, floor: rule.calls }, 1);
      total = add(total, child(rule.items), rule.size);
    } else if (rule?.kind === 'lookup') {
      total = add(total, { bound: rule.calls, floor: rule.calls });
      total = add(total, child('full'));
    } else if (isConnection && (name === 'nodes' || name === 'edges')) {
      total = add(total, child(mode), pageSize);
    } else if (isEdge && name === 'node') {
      total = add(total, child(mode));
    } else {
      total = add(total, child('full'));
    }
  }
  walk.memo.set(key, total);
  return total;
}

/** `node(id)`, `nodes(ids)`, `_entities(representations)`: the ids grouped by the node forms' own plans. */
function idsCost(walk: Walk, argument: string, args: Record<string, unknown>, subSets: SelectionSetNode[]): Cost {
  const value = args[argument];
  const items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  if (items.length > walk.catalog.maxListIds && !walk.result.tooLong) {
    walk.result.tooLong = { argument, length: items.length };
  }
  const byForm = new Map<NodeForm, ResourceIdentity[]>();
  let children: Cost = ZERO;
  items.forEach((item, i) => {
    const found = identify(walk, item, `${argument}[${i}]`);
    if (!found) return;
    const list = byForm.get(found.form);
    if (list) list.push(found.identity);
    else byForm.set(found.form, [found.identity]);
    const type = walk.schema.getType(found.form.typeName);
    if (type && isObjectType(type) && subSets.length) children = add(children, costOf(walk, subSets, type, 'full', 0));
  });
  let lookups = 0;
  for (const [form, identities] of byForm) {
    const type = walk.schema.getType(form.typeName);
    const fields = type && isObjectType(type) ? collectFields(walk, subSets, type) : new Map<string, FieldNode[]>();
    const detailed = Boolean(
      type && isObjectType(type) && walk.catalog.summaryGaps.get(form.typeName)?.(selects(walk, fields, type)),
    );
    lookups += form.cost(identities, detailed);
  }
  return add({ bound: lookups, floor: lookups }, children);
}

/** The node form and identity an id (or an entity representation) names; null when it names none (no cost). */
function identify(walk: Walk, item: unknown, argument: string): { form: NodeForm; identity: ResourceIdentity } | null {
  let id: unknown = item;
  let typeName: string | undefined;
  let entityKey: string | undefined;
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const { __typename, ...keys } = item as Record<string, unknown>;
    typeName = typeof __typename === 'string' ? __typename : undefined;
    [entityKey, id] = Object.entries(keys).find(([, v]) => typeof v === 'string') ?? [];
  }
  if (typeof id !== 'string' || id.length > 2048) return null;
  const arn: Arn | null = id.startsWith('arn:') ? parseArn(id) : null;
  for (const form of walk.catalog.nodeForms) {
    if (typeName && form.typeName !== typeName) continue;
    try {
      const identity = form.parse(id, { ...walk.catalog.nodeIdContext, argument, arn, entityKey });
      if (identity) return { form, identity };
    } catch {
      // A malformed id is refused at its own entry, at no AWS cost.
      return null;
    }
  }
  return null;
}

/** Whether the selected fields of `type` include a dotted path (`destination.message`). */
function selects(walk: Walk, fields: Map<string, FieldNode[]>, type: GraphQLObjectType): (path: string) => boolean {
  return (path) => {
    let current: Map<string, FieldNode[]> | null = fields;
    let currentType: GraphQLObjectType | null = type;
    const steps = path.split('.');
    for (const [i, step] of steps.entries()) {
      if (!current || !currentType) return false;
      const matches: FieldNode[] = [...current.values()].flat().filter((n) => n.name.value === step);
      if (matches.length === 0) return false;
      if (i === steps.length - 1) return true;
      const definition: GraphQLField<unknown, unknown> | undefined = currentType.getFields()[step];
      const next: GraphQLNamedType | undefined = definition && getNamedType(definition.type);
      currentType = next && isObjectType(next) ? next : null;
      const sets = matches.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      current = currentType ? collectFields(walk, sets, currentType) : null;
    }
    return false;
  };
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
        if (fragment && applies(walk, fragment.typeCondition.name.value, type)) {
          collectFields(walk, [fragment.selectionSet], type, into, visited);
        }
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

/**
 * The field's argument values (the first node's: validation makes merged fields agree). Each field node is
 * screened and checked once, whichever types and modes the walk reaches it under.
 */
function argumentsOf(
  walk: Walk,
  type: GraphQLObjectType,
  definition: GraphQLField<unknown, unknown>,
  nodes: readonly FieldNode[],
): Record<string, unknown> {
  const [node] = nodes;
  if (!node) return {};
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(definition, node, walk.variables);
  } catch {
    // Arguments that do not coerce make execution fail before any resolver runs.
    return {};
  }
  if (walk.result.argumentError || walk.argumentsChecked.has(node) || !node.arguments?.length) return args;
  walk.argumentsChecked.add(node);
  for (const [name, value] of Object.entries(args)) {
    const hostile = screenArgument(value, name);
    if (hostile) {
      walk.result.argumentError = hostile;
      return args;
    }
  }
  const rule = walk.catalog.argumentRules.get(`${type.name}.${definition.name}`);
  if (rule) {
    try {
      rule(args);
    } catch (error) {
      walk.result.argumentError = error instanceof Error ? error : new Error(String(error));
    }
  }
  return args;
}

function pageSizeOf(first: unknown, fallback: number): number {
  if (first === null || first === undefined) return fallback;
  return typeof first === 'number' && Number.isInteger(first) && first >= 1 && first <= 100 ? first : 0;
}
