import { type FragmentDefinitionNode, Kind, type OperationDefinitionNode, getVariableValues, parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog.js';
import { loadConfig } from '../../src/config.js';
import { modules } from '../../src/modules/index.js';
import { walkOperation } from '../../src/preflight/walk.js';
import { buildSchema } from '../../src/schema.js';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

const catalog = buildCatalog(modules);
const schema = buildSchema(catalog);
const config = loadConfig('gateway', { ALLOWED_REGIONS: 'us-east-1,us-west-2,eu-west-1' });

function estimate(query: string, variables: Record<string, unknown> = {}, maxListIds = 100) {
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = document.definitions.filter(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
  );
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  const walked = walkOperation(schema, operation, fragments, coerced.coerced, {
    costs: catalog.costs,
    summaryGaps: catalog.summaryGaps,
    argumentRules: new Map(),
    nodeForms: catalog.nodeForms,
    nodeIdContext: { scope: { partition: 'aws', accountId: '111122223333' }, config },
    defaultPageSize: 25,
    maxListIds,
  });
  return { awsCalls: walked.bound, floor: walked.floor, tooLong: walked.tooLong };
}

const T = arns.tracker('shop-tracker');
const G = arns.group('shop');
const S = arns.stream('us-east-1', 'retail', 'orders');

/** Queries with their estimate: the AWS calls they may make with an empty cache. */
const CASES: Array<[string, string, Record<string, unknown>, number]> = [
  [
    'a single lookup',
    '{ eventStream(domainName: "retail", name: "orders") { name createdAt destination { message } } }',
    {},
    1,
  ],
  [
    'three lookups of three services',
    `{ eventStream(domainName: "retail", name: "orders") { name } eventTracker(arn: "${T}") { name } internetEvent(eventId: "evt-active-1") { eventId } }`,
    {},
    3,
  ],
  ['a connection of summary fields', '{ eventStreams(domainName: "bulk", first: 5) { nodes { name state } } }', {}, 3],
  [
    'a connection whose items need a Get each',
    '{ eventStreams(domainName: "bulk", first: 5) { nodes { name createdAt } } }',
    {},
    8,
  ],
  [
    'a connection through edges, asking for a destination message',
    '{ eventStreams(domainName: "bulk", first: 4) { edges { node { destination { message } } } } }',
    {},
    7,
  ],
  [
    'a connection sized by a variable',
    'query($n: Int) { eventStreams(domainName: "bulk", first: $n) { nodes { createdAt } } }',
    { n: 7 },
    10,
  ],
  [
    'a connection with the default page size',
    '{ internetEvents { nodes { eventId clientLocation { city } } } }',
    {},
    3,
  ],
  [
    'trackers with their dataset groups',
    '{ eventTrackers(first: 5) { nodes { name datasetGroup { name } } } }',
    {},
    13,
  ],
  // AWS allows one tracker per dataset group (the emulator allows more: `video` has one, like AWS).
  [
    'a dataset group with its tracker',
    `{ datasetGroup(arn: "${arns.group('video')}") { name eventTrackers(first: 1) { nodes { name trackingId } } } }`,
    {},
    3,
  ],
  ['nodes by id', 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [S, T, arns.event('evt-active-1')] }, 3],
  [
    'node with the dearest member of the interface',
    `{ node(id: "${T}") { ... on EventTracker { datasetGroup { name } } ... on EventStream { name } } }`,
    {},
    2,
  ],
  // Two events are one list bet (a page) and, at worst, a Get each: the planner's own bound.
  [
    'entities from a federated router',
    'query($r: [_Any!]!) { _entities(representations: $r) { ... on InternetEvent { eventId } } }',
    {
      r: [
        { __typename: 'InternetEvent', eventId: 'a' },
        { __typename: 'InternetEvent', eventId: 'b' },
      ],
    },
    3,
  ],
  ['an invalid first (refused before any call)', '{ eventTrackers(first: 0) { nodes { trackingId } } }', {}, 0],
  ['introspection', '{ __schema { types { name fields { name } } } __typename }', {}, 0],
];

describe('AWS-call estimate', () => {
  it.each(CASES)('estimates %s', (_name, query, variables, expected) => {
    expect(estimate(query, variables).awsCalls).toBe(expected);
  });

  it('reports an id list longer than allowed, naming the argument', () => {
    expect(estimate('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['a', 'b', 'c'] }, 2).tooLong).toEqual({
      argument: 'ids',
      length: 3,
    });
  });

  it('estimates a document whose fragments double at every level without walking every path', () => {
    const levels = 24;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i % 2 === 0
        ? `fragment F${i} on DatasetGroup { a: eventTrackers { nodes { ...F${i + 1} } } b: eventTrackers { nodes { ...F${i + 1} } } }`
        : `fragment F${i} on EventTracker { a: datasetGroup { ...F${i + 1} } b: datasetGroup { ...F${i + 1} } }`,
    ).join('\n');
    const query = `{ datasetGroup(arn: "${G}") { ...F0 } }\n${fragments}\nfragment F${levels} on DatasetGroup { name }`;
    // 2^24 paths; the walk is linear in the document, and the estimate is as huge as the operation.
    expect(estimate(query).awsCalls).toBeGreaterThan(2 ** 24);
  });
});

describe('AWS-call estimate against the calls actually made', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures(), env: { CACHE_STORE: 'none' } });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());

  it.each(CASES.filter(([name]) => !name.startsWith('entities')))(
    'never spends more than it estimated: %s',
    async (_name, query, variables, expected) => {
      await stack.query(query, variables, { 'cache-control': 'no-cache' });
      expect(stack.totalCalls()).toBeLessThanOrEqual(expected);
    },
  );

  it('spends exactly the estimate on lookups', async () => {
    await stack.query(CASES[1]![1], {}, { 'cache-control': 'no-cache' });
    expect(stack.totalCalls()).toBe(3);
  });
});
