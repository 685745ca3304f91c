import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphSdl } from '../../scripts/print-schema.js';
import { arns, kinesisStream, writableFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';
import { NEIGHBOUR_TYPE_DEFS, type RunningSubgraph, startNeighbourSubgraph } from './neighbour-subgraph.js';

/**
 * The mutations as a router sees them: every one carries `@requiresScopes` (the write grant, for routers that
 * enforce it), the subgraph still composes with a neighbour, and a mutation sent to the supergraph runs here.
 */

process.env.APOLLO_TELEMETRY_DISABLED = '1';

const MUTATIONS = [
  'createEventStream',
  'updateEventStream',
  'deleteEventStream',
  'createEventTracker',
  'deleteEventTracker',
];
const SCOPE = '@requiresScopes(scopes: [["aws-events-graph:write"]])';

function compose(ours: string): string {
  const result = composeServices([
    { name: 'aws-events', typeDefs: parse(ours), url: stack.gateway.url },
    { name: 'neighbour', typeDefs: parse(NEIGHBOUR_TYPE_DEFS), url: neighbour.url },
  ]);
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}

let stack: Stack;
let neighbour: RunningSubgraph;
let supergraphSdl: string;
let supergraph: ApolloServer;
let url: string;

beforeAll(async () => {
  stack = await startStack({ fixtures: writableFixtures(), env: { CACHE_STORE: 'none' } });
  neighbour = await startNeighbourSubgraph({ owners: {}, impactedCustomers: {}, incidents: [], watchedStreamArns: [] });
  supergraphSdl = compose(subgraphSdl());
  // @apollo/gateway cannot enforce `@requiresScopes` and refuses supergraphs with it: the SDL it gets has none.
  const gatewaySdl = compose(subgraphSdl({ securityDirectives: false }));
  supergraph = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: gatewaySdl }) });
  ({ url } = await startStandaloneServer(supergraph, { listen: { port: 0, host: '127.0.0.1' } }));
});
afterAll(async () => {
  await supergraph?.stop();
  await neighbour?.close();
  await stack?.close();
});

describe('mutations in the supergraph', () => {
  it('marks every mutation field with @requiresScopes for the write scope, in the subgraph SDL', () => {
    const sdl = subgraphSdl();
    expect(sdl).toMatch(
      /@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \[[^\]]*"@requiresScopes"/,
    );
    for (const field of MUTATIONS) {
      expect(sdl).toMatch(new RegExp(`${field}\\(input: \\w+!\\): \\w+!\\s+${SCOPE.replace(/[()[\]]/g, '\\$&')}`));
    }
  });

  it('composes, the supergraph carrying the scopes on the mutation fields for routers to enforce', () => {
    expect(supergraphSdl).toContain('@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)');
    const mutation = /type Mutation[^{]*\{([^}]*)\}/.exec(supergraphSdl)?.[1] ?? '';
    for (const field of MUTATIONS) expect(mutation).toMatch(new RegExp(`${field}\\([^)]*\\)[^\\n]*@requiresScopes`));
  });

  it('leaves the security directives out for @apollo/gateway, the subgraph enforcing the grant itself', () => {
    const sdl = subgraphSdl({ securityDirectives: false });
    expect(sdl).not.toContain('requiresScopes');
    expect(sdl).toContain('createEventStream(input: CreateEventStreamInput!): CreateEventStreamPayload!');
  });

  it('runs a mutation sent to the supergraph router', async () => {
    stack.resetCalls();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($input: CreateEventStreamInput!) { createEventStream(input: $input) { eventStream { arn } } }`,
        variables: { input: { domainName: 'retail', name: 'via-router', uri: kinesisStream('us-east-1', 'r') } },
      }),
    });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    expect(body.data.createEventStream.eventStream.arn).toBe(arns.stream('us-east-1', 'retail', 'via-router'));
    expect(stack.calls()).toEqual({ 'profile:CreateEventStream': 1, 'profile:GetEventStream': 1 });
  });
});
