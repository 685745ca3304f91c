import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { subgraphSdl, writeSubgraphSdl } from '../../scripts/print-schema.js';
import { ACCOUNT, arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';
import {
  NEIGHBOUR_TYPE_DEFS,
  type NeighbourData,
  type RunningSubgraph,
  startNeighbourSubgraph,
} from './neighbour-subgraph.js';

/**
 * The gateway as one subgraph of a supergraph: its SDL as `npm run schema:print` writes it, composed with a
 * neighbour subgraph by @apollo/composition, served by @apollo/gateway in this process, queried across both.
 */

// vitest.config.ts sets this too; the gateway must never report usage from a test run, however the file is run.
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const ORDERS = arns.stream('us-east-1', 'retail', 'orders');
const CLICKS = arns.stream('us-east-1', 'retail', 'clicks');
const EU_ORDERS = arns.stream('eu-west-1', 'retail', 'orders');

const NEIGHBOUR_DATA: NeighbourData = {
  owners: {
    [ORDERS]: { name: 'Checkout', slackChannel: '#checkout' },
    [CLICKS]: { name: 'Web analytics', slackChannel: '#web-analytics' },
  },
  impactedCustomers: { 'evt-active-1': 1280 },
  incidents: [
    { id: 'INC-1', title: 'Orders missing from the lake', streamArns: [ORDERS, CLICKS], eventId: 'evt-active-1' },
    { id: 'INC-2', title: 'EU orders delayed', streamArns: [EU_ORDERS] },
  ],
  watchedStreamArns: [ORDERS, EU_ORDERS],
};

type Service = { name: string; typeDefs: string; url: string };

/** Composition errors are test failures, with every message in the failure. */
function composeOrThrow(services: Service[]): string {
  const result = composeServices(services.map((s) => ({ name: s.name, typeDefs: parse(s.typeDefs), url: s.url })));
  if (result.errors)
    throw new Error(
      `Composition failed:\n${result.errors.map((e) => `  ${e.extensions?.code ?? ''} ${e.message}`).join('\n')}`,
    );
  return result.supergraphSdl;
}

/** A type of an SDL: its directives and graphs (`@join__type(graph: …)`), and its field names, in order. */
function typeBlock(sdl: string, name: string): { head: string; graphs: string[]; fields: string[] } {
  const match = new RegExp(`(?:^|\\n)(?:extend )?type ${name}\\b([^{]*)\\{([^}]*)\\}`).exec(sdl);
  if (!match) throw new Error(`No type ${name}`);
  const head = match[1] ?? '';
  const body = (match[2] ?? '').replace(/"""[\s\S]*?"""|"[^"\n]*"/g, '');
  return {
    head,
    graphs: [...head.matchAll(/@join__type\(graph: (\w+)/g)].map((m) => m[1]!),
    fields: [...body.matchAll(/^\s+(\w+)\s*[:(]/gm)].map((m) => m[1]!),
  };
}

/**
 * Our subgraph SDL exactly as `npm run schema:print -- <file> --no-security-directives` writes it: @apollo/gateway
 * refuses supergraphs with security features it cannot enforce (`@requiresScopes`; mutations.test.ts has them).
 */
function printedSubgraphSdl(): string {
  const dir = mkdtempSync(join(tmpdir(), 'subgraph-sdl-'));
  try {
    const file = join(dir, 'subgraph.graphql');
    execFileSync(join('node_modules', '.bin', 'tsx'), ['scripts/print-schema.ts', file, '--no-security-directives'], {
      stdio: 'pipe',
      timeout: 60_000,
    });
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as {
    data?: any;
    errors?: Array<{ path?: unknown[]; extensions?: Record<string, unknown> }>;
  };
}

let stack: Stack;
let neighbour: RunningSubgraph;
let ourSdl: string;
let supergraphSdl: string;
let supergraph: ApolloServer;
let supergraphUrl: string;

beforeAll(async () => {
  // No shared cache: every lookup reaches the emulator, so call counts show what each request cost on its own.
  stack = await startStack({
    fixtures: gatewayFixtures(),
    // As a subgraph behind @apollo/gateway: no security directives in its SDL (printedSubgraphSdl).
    env: { CACHE_STORE: 'none', FEDERATION_SECURITY_DIRECTIVES: 'false' },
  });
  neighbour = await startNeighbourSubgraph(NEIGHBOUR_DATA);
  ourSdl = printedSubgraphSdl();
  supergraphSdl = composeOrThrow([
    { name: 'aws-events', typeDefs: ourSdl, url: stack.gateway.url },
    { name: 'neighbour', typeDefs: NEIGHBOUR_TYPE_DEFS, url: neighbour.url },
  ]);
  supergraph = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
  ({ url: supergraphUrl } = await startStandaloneServer(supergraph, { listen: { port: 0, host: '127.0.0.1' } }));
});

afterAll(async () => {
  await supergraph?.stop();
  await neighbour?.close();
  await stack?.close();
});

beforeEach(() => {
  stack.resetCalls();
  neighbour.resolvedReferences.clear();
});

describe('composition', () => {
  it('composes the printed subgraph SDL with a neighbour subgraph', () => {
    expect(ourSdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7"');
    expect(ourSdl).toMatch(/type EventStream implements Node\s+@key\(fields: "arn"\)/);
    expect(supergraphSdl).toMatch(
      /type EventStream implements Node\s+@join__implements[^{]*@join__type\(graph: AWS_EVENTS, key: "arn"\)\s+@join__type\(graph: NEIGHBOUR, key: "arn"\)/,
    );
    expect(supergraphSdl).toMatch(/owner: Team @join__field\(graph: NEIGHBOUR\)/);
    expect(supergraphSdl).toMatch(/impactedCustomers: Int! @join__field\(graph: NEIGHBOUR\)/);
  });

  it('prints an SDL that composes exactly like the one the running subgraph serves as _service.sdl', async () => {
    // A router that introspects the subgraph and a registry fed by `npm run schema:print` must build the same supergraph.
    const res = await post(stack.gateway.url, '{ _service { sdl } }');
    const fromServed = composeOrThrow([
      { name: 'aws-events', typeDefs: res.data!._service.sdl, url: stack.gateway.url },
      { name: 'neighbour', typeDefs: NEIGHBOUR_TYPE_DEFS, url: neighbour.url },
    ]);
    expect(fromServed).toBe(supergraphSdl);
  });

  it('refuses to print into schema/, where every .graphql file is loaded as the contract', () => {
    expect(() => writeSubgraphSdl('schema/subgraph.graphql')).toThrow(/Refusing to write into/);
    expect(existsSync('schema/subgraph.graphql')).toBe(false);
  });

  it('shares Relay’s full PageInfo with the neighbour, and keeps its Tag apart from our ResourceTag', () => {
    expect(typeBlock(supergraphSdl, 'PageInfo').head).toMatch(
      /@join__type\(graph: AWS_EVENTS\)\s+@join__type\(graph: NEIGHBOUR\)/,
    );
    expect(typeBlock(supergraphSdl, 'PageInfo').fields).toEqual([
      'hasNextPage',
      'hasPreviousPage',
      'startCursor',
      'endCursor',
    ]);
    expect(typeBlock(supergraphSdl, 'ResourceTag')).toMatchObject({ graphs: ['AWS_EVENTS'], fields: ['key', 'value'] });
    expect(typeBlock(supergraphSdl, 'Tag')).toMatchObject({ graphs: ['NEIGHBOUR'], fields: ['name'] });
  });

  it('carries @cacheControl into the supergraph (@composeDirective), for routers that read static hints', () => {
    expect(supergraphSdl).toContain(
      '@link(url: "https://aws-events-graph.dev/cacheControl/v1.0", import: ["@cacheControl"])',
    );
    expect(supergraphSdl).toMatch(
      /directive @cacheControl\(maxAge: Int, scope: CacheControlScope, inheritMaxAge: Boolean\)/,
    );
    expect(supergraphSdl).toMatch(/type EventStream implements Node[^{]*@cacheControl\(inheritMaxAge: true\)/);
  });

  it('fails with the composition errors when a neighbour redefines one of our fields', () => {
    const conflicting = NEIGHBOUR_TYPE_DEFS.replace(
      'impactedCustomers: Int!',
      'impactedCustomers: Int!\n    status: String!',
    );
    expect(() =>
      composeOrThrow([
        { name: 'aws-events', typeDefs: ourSdl, url: stack.gateway.url },
        { name: 'neighbour', typeDefs: conflicting, url: neighbour.url },
      ]),
    ).toThrow(/Composition failed:[\s\S]*InternetEvent\.status/);
  });
});

describe('queries across the supergraph', () => {
  it('resolves the neighbour’s references to our streams and events, adding the neighbour’s own fields', async () => {
    const res = await post(
      supergraphUrl,
      `{ incidents {
          id title
          streams { name state region owner { name } }
          internetEvent { status clientLocation { city } impactedCustomers }
      } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      incidents: [
        {
          id: 'INC-1',
          title: 'Orders missing from the lake',
          streams: [
            { name: 'orders', state: 'RUNNING', region: 'us-east-1', owner: { name: 'Checkout' } },
            { name: 'clicks', state: 'STOPPED', region: 'us-east-1', owner: { name: 'Web analytics' } },
          ],
          internetEvent: { status: 'ACTIVE', clientLocation: { city: 'Frankfurt am Main' }, impactedCustomers: 1280 },
        },
        {
          id: 'INC-2',
          title: 'EU orders delayed',
          streams: [{ name: 'orders', state: 'RUNNING', region: 'eu-west-1', owner: null }],
          internetEvent: null,
        },
      ],
    });
    // The two us-east-1 streams of one domain come from one list call, the lone eu-west-1 stream from one get, the
    // event from one lookup: the supergraph's _entities batch reaches the same planner as any other lookup.
    expect(stack.calls()).toEqual({
      'profile:ListEventStreams': 1,
      'profile:GetEventStream': 1,
      'internetmonitor:GetInternetEvent': 1,
    });
  });

  it('adds the neighbour’s fields to our own root field results', async () => {
    const res = await post(
      supergraphUrl,
      `{ eventStreams(domainName: "retail") { nodes { name owner { name slackChannel } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      eventStreams: {
        nodes: [
          { name: 'orders', owner: { name: 'Checkout', slackChannel: '#checkout' } },
          { name: 'clicks', owner: { name: 'Web analytics', slackChannel: '#web-analytics' } },
        ],
      },
    });
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1 });
    expect(Object.fromEntries(neighbour.resolvedReferences)).toEqual({ EventStream: 2 });
  });

  it('keeps answering plain (non-federated) clients on the same endpoint, with the same data', async () => {
    const query = `{ eventStream(domainName: "retail", name: "orders") { arn name state destination { status } } }`;
    const direct = await post(stack.gateway.url, query);
    const viaSupergraph = await post(supergraphUrl, query);
    expect(direct.errors).toBeUndefined();
    expect(direct.data).toEqual({
      eventStream: { arn: ORDERS, name: 'orders', state: 'RUNNING', destination: { status: 'HEALTHY' } },
    });
    expect(viaSupergraph).toEqual(direct);
  });
});

describe('entity references cost', () => {
  // 50 lookups of every kind the subgraph serves: all 10 streams, 8 trackers, 4 dataset groups, 7 internet events by
  // id and again by ARN, repeated streams (as a router sends when many parents point at one entity), and misses.
  const streams = [
    ORDERS,
    CLICKS,
    EU_ORDERS,
    ...Array.from({ length: 7 }, (_, i) => arns.stream('us-east-1', 'bulk', `bulk-${String(i).padStart(2, '0')}`)),
  ];
  const trackers = [
    'shop-tracker',
    'shop-old',
    'video-tracker',
    'custom-pending',
    'custom-failed',
    'custom-deleting',
    'custom-odd',
  ].map((n) => arns.tracker(n));
  trackers.push(arns.tracker('shop-tracker', 'eu-west-1'));
  const groups = [arns.group('shop'), arns.group('video'), arns.group('custom'), arns.group('shop', 'eu-west-1')];
  const eventIds = ['evt-active-1', 'evt-resolved-1', ...Array.from({ length: 5 }, (_, i) => `evt-bulk-${i}`)];
  const misses = [
    arns.stream('us-east-1', 'retail', 'no-such-stream'),
    arns.stream('us-east-1', 'empty', 'nothing'),
    arns.tracker('no-such-tracker'),
    `arn:aws:internetmonitor::${ACCOUNT}:internet-event/evt-no-such-event`,
  ];

  type Ref = { __typename: string; [key: string]: string };
  const references: Array<{ ref: Ref; id: string }> = [
    ...streams.map((arn) => ({ ref: { __typename: 'EventStream', arn }, id: arn })),
    ...trackers.map((arn) => ({ ref: { __typename: 'EventTracker', arn }, id: arn })),
    ...groups.map((arn) => ({ ref: { __typename: 'DatasetGroup', arn }, id: arn })),
    // node(id:) takes bare internet event ids in AWS's UUID form only; these fixtures' ids are not: by ARN.
    ...eventIds.map((eventId) => ({ ref: { __typename: 'InternetEvent', eventId }, id: arns.event(eventId) })),
    ...eventIds.map((id) => arns.event(id)).map((arn) => ({ ref: { __typename: 'InternetEvent', arn }, id: arn })),
    ...streams.slice(0, 10).map((arn) => ({ ref: { __typename: 'EventStream', arn }, id: arn })),
    { ref: { __typename: 'EventStream', arn: misses[0]! }, id: misses[0]! },
    { ref: { __typename: 'EventStream', arn: misses[1]! }, id: misses[1]! },
    { ref: { __typename: 'EventTracker', arn: misses[2]! }, id: misses[2]! },
    { ref: { __typename: 'InternetEvent', arn: misses[3]! }, id: misses[3]! },
  ];

  const FIELDS = `
    ... on EventStream { arn name state destination { status } }
    ... on EventTracker { arn name trackerStatus: status }
    ... on DatasetGroup { arn name groupStatus: status }
    ... on InternetEvent { eventId eventStatus: status }`;

  it('resolves a batch of 50 representations with no more AWS calls than nodes() needs for the same ids', async () => {
    expect(references).toHaveLength(50);

    const entities = await post(
      stack.gateway.url,
      `query($representations: [_Any!]!) { _entities(representations: $representations) { __typename ${FIELDS} } }`,
      { representations: references.map((r) => r.ref) },
    );
    const entityCalls = stack.calls();
    stack.resetCalls();
    const nodes = await post(stack.gateway.url, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename ${FIELDS} } }`, {
      ids: references.map((r) => r.id),
    });
    const nodeCalls = stack.calls();

    // Same answers, position by position (null for the four misses)...
    expect(entities.data!._entities).toEqual(nodes.data!.nodes);
    expect(entities.data!._entities.filter((e: unknown) => e === null)).toHaveLength(4);
    // ...where nodes() follows Relay (a miss is null without an error) and _entities says NOT_FOUND at the index:
    // the router asked for a key another subgraph handed out.
    expect(nodes.errors).toBeUndefined();
    // (Errors come in the order the lookups settle.)
    const byIndex = [...(entities.errors ?? [])].sort((a, b) => Number(a.path?.[1]) - Number(b.path?.[1]));
    expect(byIndex.map((e) => [e.path, e.extensions?.code])).toEqual(
      [46, 47, 48, 49].map((i) => [['_entities', i], 'NOT_FOUND']),
    );
    // ...for exactly the same AWS calls: 12 for 50 lookups. Streams: one list per (region, domain) with several
    // keys, one get for a lone key; trackers: one list for the us-east-1 region, one describe for eu-west-1; dataset
    // groups one describe each; internet events one list page, then one get for the id it did not contain.
    expect(entityCalls).toEqual(nodeCalls);
    expect(entityCalls).toEqual({
      'profile:ListEventStreams': 2,
      'profile:GetEventStream': 2,
      'personalize:ListEventTrackers': 1,
      'personalize:DescribeEventTracker': 1,
      'personalize:DescribeDatasetGroup': 4,
      'internetmonitor:ListInternetEvents': 1,
      'internetmonitor:GetInternetEvent': 1,
    });
  });
});

describe('a neighbour with its own Relay node', () => {
  const RELAY_NEIGHBOUR = `
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    interface Node { id: ID! }
    type Article implements Node @key(fields: "id") { id: ID! title: String! }
    type Query { node(id: ID!): Node nodes(ids: [ID!]!): [Node]! }
  `;

  it('cannot compose with our node and nodes: two subgraphs may not both answer them', () => {
    expect(() =>
      composeOrThrow([
        { name: 'aws-events', typeDefs: ourSdl, url: stack.gateway.url },
        { name: 'articles', typeDefs: RELAY_NEIGHBOUR, url: 'http://127.0.0.1:9/graphql' },
      ]),
    ).toThrow(/INVALID_FIELD_SHARING Non-shareable field "Query.node"/);
  });

  it('composes with RELAY_NODE_FIELDS=false, the neighbour answering node and ours awsResource', async () => {
    const articles = new ApolloServer({
      schema: buildSubgraphSchema({
        typeDefs: parse(RELAY_NEIGHBOUR),
        resolvers: {
          Node: { __resolveType: () => 'Article' },
          Query: { node: (_: unknown, { id }: { id: string }) => ({ id, title: `Article ${id}` }) },
        } as never,
      }),
    });
    const { url: articlesUrl } = await startStandaloneServer(articles, { listen: { port: 0, host: '127.0.0.1' } });
    const withoutNode = await startStack({
      fixtures: gatewayFixtures(),
      env: { CACHE_STORE: 'none', RELAY_NODE_FIELDS: 'false', FEDERATION_SECURITY_DIRECTIVES: 'false' },
    });
    try {
      // The served SDL and the printed one agree: both leave node and nodes out, and compose alike.
      const served = (await post(withoutNode.gateway.url, '{ _service { sdl } }')).data!._service.sdl as string;
      const printed = subgraphSdl({ securityDirectives: false }, { RELAY_NODE_FIELDS: 'false' });
      expect(typeBlock(served, 'Query').fields).not.toContain('node');
      expect(typeBlock(printed, 'Query').fields).not.toContain('nodes');
      expect(typeBlock(printed, 'Query').fields).toContain('awsResources');
      const compose = (typeDefs: string) =>
        composeOrThrow([
          { name: 'aws-events', typeDefs, url: withoutNode.gateway.url },
          { name: 'articles', typeDefs: RELAY_NEIGHBOUR, url: articlesUrl },
        ]);
      const sdl = compose(served);
      expect(compose(printed)).toBe(sdl);
      const router = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: sdl }) });
      const { url } = await startStandaloneServer(router, { listen: { port: 0, host: '127.0.0.1' } });
      try {
        const res = await post(
          url,
          `{ node(id: "a-1") { id ... on Article { title } }
             awsResource(id: "${ORDERS}") { id ... on EventStream { name } } }`,
        );
        expect(res.errors).toBeUndefined();
        expect(res.data).toEqual({
          node: { id: 'a-1', title: 'Article a-1' },
          awsResource: { id: ORDERS, name: 'orders' },
        });
        expect(withoutNode.calls()).toEqual({ 'profile:GetEventStream': 1 });
      } finally {
        await router.stop();
      }
    } finally {
      await withoutNode.close();
      await articles.stop();
    }
  });
});
