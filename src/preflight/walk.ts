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
import { badUserInput, fieldRefusal } from '../errors.js';
import { type Arn, parseArn } from '../resource/arn.js';
import { type ResourceIdentity, identityKey } from '../resource/identity.js';
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
 *
 * Ids (`node`, `nodes`, `_entities`) cost what the loaders' plans cost for their distinct identities: the loaders
 * are per request and deduplicate, so the identities of every id field of the operation are pooled per node form
 * (and per completeness, which picks the loader) before each form's plan prices them. A router's batch of 120
 * references to 4 streams, or three aliased `_entities` over the same few keys, costs what those keys cost.
 *
 * Arguments are decided per root field: a root field whose arguments break a rule or hold a hostile value is
 * refused on its own (`fieldErrors`: null with its error, no cost), and its siblings run. An entry of an id list is
 * screened on its own too: an entity representation that is hostile, not an entity's, or one distinct key past
 * `maxEntities` is refused at its index (`entityErrors`); a hostile id of `nodes` costs nothing and is refused at
 * its index when resolved (node-ids.ts screens ids with the same function).
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
  /** Distinct keys one `_entities` field resolves; representations of further keys are refused one by one. */
  maxEntities?: number;
}

export interface WalkResult {
  bound: number;
  floor: number;
  itemCosts: Map<string, number>;
  /** Root fields refused for their arguments (a broken rule or a hostile value), by response key. */
  fieldErrors: Map<string, Error>;
  /** Entity representations refused on their own, by `_entities` response key and index. */
  entityErrors: Map<string, Map<number, Error>>;
  /** The first argument error of a field below the root (refuses the operation), if any. */
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
  /** Distinct identities of every id field, per node form and completeness: priced once the walk is done. */
  ids: Map<NodeForm, Map<boolean, Map<string, ResourceIdentity>>>;
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
  const result: WalkResult = {
    bound: 0,
    floor: 0,
    itemCosts: new Map(),
    fieldErrors: new Map(),
    entityErrors: new Map(),
  };
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
    ids: new Map(),
    result,
  };
  const total = costOf(walk, [operation.selectionSet], root, 'full', 0, true);
  let lookups = 0;
  for (const [form, byCompleteness] of walk.ids) {
    for (const [detailed, identities] of byCompleteness) lookups += form.cost([...identities.values()], detailed);
  }
  result.bound = total.bound + lookups;
  result.floor = total.floor + lookups;
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
    const rule = walk.catalog.costs.get(`${type.name}.${name}`);
    const args = argumentsOf(walk, type, definition, nodes, isRoot ? responseKey : null, rule);
    // Refused on its own: answers null with its error, at no AWS cost.
    if (isRoot && walk.result.fieldErrors.has(responseKey)) continue;
    const childType = getNamedType(definition.type);
    const subSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    const child = (childMode: Completeness, childPageSize = 0) =>
      subSets.length && isCompositeType(childType) ? costOf(walk, subSets, childType, childMode, childPageSize) : ZERO;

    if (rule?.kind === 'ids') {
      total = add(total, idsCost(walk, rule, args, subSets, responseKey));
    } else if (rule?.kind === 'connection') {
      const size = pageSizeOf(args.first, walk.catalog.defaultPageSize);
      // An invalid `first` is refused before any AWS call (argument rules), so it costs nothing.
      if (size > 0) {
        const perItem = child(rule.items, 1);
        if (isRoot) walk.result.itemCosts.set(responseKey, perItem.bound - child(rule.items, 0).bound);
        const page = child(rule.items, size);
        // A list over many scopes reads each of them: scopes × pages at most, and each scope's first page at least.
        const pages = rule.pagesOf?.(args, walk.catalog.nodeIdContext) ?? { bound: rule.pages, floor: rule.pages };
        total = add(total, { bound: pages.bound + page.bound, floor: pages.floor + child(rule.items, 0).floor });
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

/**
 * `node(id)`, `nodes(ids)`, `_entities(representations)`: the distinct identities go to `walk.ids`, priced by the
 * node forms' plans once every id field is known; what is returned is what their selections cost below them, once
 * per distinct identity (the loaders answer a repeated id from their memo).
 */
function idsCost(
  walk: Walk,
  rule: Extract<FieldCost, { kind: 'ids' }>,
  args: Record<string, unknown>,
  subSets: SelectionSetNode[],
  responseKey: string,
): Cost {
  const value = args[rule.argument];
  const items = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  if (!rule.entities && items.length > walk.catalog.maxListIds && !walk.result.tooLong) {
    walk.result.tooLong = { argument: rule.argument, length: items.length };
  }
  const maxEntities = walk.catalog.maxEntities ?? Number.POSITIVE_INFINITY;
  const refused = new Map<number, Error>();
  const distinct = new Map<string, { form: NodeForm; identity: ResourceIdentity }>();
  items.forEach((item, i) => {
    const argument = `${rule.argument}[${i}]`;
    if (rule.entities) {
      const problem = representationProblem(walk, item, argument);
      if (problem) {
        refused.set(i, problem);
        return;
      }
      // A hostile id is refused where it is resolved, at its own index; it costs nothing.
    } else if (screenArgument(item, argument)) return;
    const found = identify(walk, item, argument);
    if (!found) return;
    const key = identityKey(found.identity);
    if (distinct.has(key)) return;
    if (rule.entities && distinct.size >= maxEntities) {
      refused.set(
        i,
        fieldRefusal(
          'LIST_TOO_LONG',
          `Representation ${i} names more distinct entities than the ${maxEntities} one _entities field ` +
            'resolves; send it in another batch.',
          { argument, limit: maxEntities },
        ),
      );
      return;
    }
    distinct.set(key, found);
  });
  if (refused.size > 0) walk.result.entityErrors.set(responseKey, refused);

  let children: Cost = ZERO;
  const detailedByForm = new Map<NodeForm, boolean>();
  for (const [key, { form, identity }] of distinct) {
    const type = walk.schema.getType(form.typeName);
    if (!type || !isObjectType(type)) continue;
    let detailed = detailedByForm.get(form);
    if (detailed === undefined) {
      const fields = collectFields(walk, subSets, type);
      detailed = Boolean(walk.catalog.summaryGaps.get(form.typeName)?.(selects(walk, fields, type)));
      detailedByForm.set(form, detailed);
    }
    let byCompleteness = walk.ids.get(form);
    if (!byCompleteness) {
      byCompleteness = new Map();
      walk.ids.set(form, byCompleteness);
    }
    let identities = byCompleteness.get(detailed);
    if (!identities) {
      identities = new Map();
      byCompleteness.set(detailed, identities);
    }
    identities.set(key, identity);
    if (subSets.length) children = add(children, costOf(walk, subSets, type, 'full', 0));
  }
  return children;
}

/**
 * Why one entity representation cannot be resolved, or null: it must be an object naming, in `__typename`, an
 * entity type of the modules' node forms, and hold no hostile value (the input screen, nested values included).
 */
function representationProblem(walk: Walk, item: unknown, argument: string): Error | null {
  const types = [...new Set(walk.catalog.nodeForms.map((f) => f.typeName))];
  if (!item || typeof item !== 'object' || Array.isArray(item)) {
    return badUserInput(argument, `must be an entity representation: an object with __typename and its key fields`);
  }
  const { __typename } = item as Record<string, unknown>;
  if (typeof __typename !== 'string' || !types.includes(__typename)) {
    return badUserInput(argument, `must have the __typename of an entity of this graph: ${types.join(', ')}`);
  }
  return screenArgument(item, argument);
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
  // Built once per id and as a literal (a spread would give each one a hidden class of its own).
  const { scope, config } = walk.catalog.nodeIdContext;
  const context: NodeIdContext = { scope, config, argument, arn, entityKey };
  for (const form of walk.catalog.nodeForms) {
    if (typeName && form.typeName !== typeName) continue;
    try {
      const identity = form.parse(id, context);
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
  rootKey: string | null,
  cost: FieldCost | undefined,
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
  if (walk.argumentsChecked.has(node) || !node.arguments?.length) return args;
  if (rootKey === null && walk.result.argumentError) return args;
  walk.argumentsChecked.add(node);
  const refuse = (error: Error) => {
    if (rootKey !== null) walk.result.fieldErrors.set(rootKey, error);
    else walk.result.argumentError = error;
  };
  for (const [name, value] of Object.entries(args)) {
    // The entries of an id list are screened one by one (idsCost): one bad entry must not refuse the others.
    if (cost?.kind === 'ids' && name === cost.argument) continue;
    const hostile = screenArgument(value, name);
    if (hostile) {
      refuse(hostile);
      return args;
    }
  }
  const rule = walk.catalog.argumentRules.get(`${type.name}.${definition.name}`);
  if (rule) {
    try {
      rule(args);
    } catch (error) {
      refuse(error instanceof Error ? error : new Error(String(error)));
    }
  }
  return args;
}

function pageSizeOf(first: unknown, fallback: number): number {
  if (first === null || first === undefined) return fallback;
  return typeof first === 'number' && Number.isInteger(first) && first >= 1 && first <= 100 ? first : 0;
}
