import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/**
 * A small subgraph owned by another team, as a supergraph would include it beside ours: it knows nothing about
 * AWS, references our `EventStream` (by `arn`) and `InternetEvent` (by `eventId`), adds fields of its own to
 * them, and has root fields that return references for our subgraph to resolve.
 */
export const NEIGHBOUR_TYPE_DEFS = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Team {
    name: String!
    slackChannel: String!
  }

  "An incident in the neighbour's tracker, pointing at resources of the AWS events graph."
  type Incident {
    id: ID!
    title: String!
    streams: [EventStream!]!
    internetEvent: InternetEvent
  }

  type EventStream @key(fields: "arn") {
    arn: String!
    "The team that owns the stream, from the neighbour's service catalogue."
    owner: Team
  }

  type InternetEvent @key(fields: "eventId") {
    eventId: String!
    "Customers the neighbour saw affected by the event."
    impactedCustomers: Int!
  }

  type Query {
    incidents: [Incident!]!
    "Streams the neighbour watches: references only, resolved by the AWS events graph."
    watchedStreams: [EventStream!]!
  }
`;

export interface NeighbourData {
  owners: Record<string, { name: string; slackChannel: string }>;
  impactedCustomers: Record<string, number>;
  incidents: Array<{ id: string; title: string; streamArns: string[]; eventId?: string }>;
  watchedStreamArns: string[];
}

export interface RunningSubgraph {
  url: string;
  /** Entity references this subgraph resolved, by type name: what the supergraph asked of it. */
  resolvedReferences: Map<string, number>;
  close(): Promise<void>;
}

export function neighbourResolvers(data: NeighbourData, resolvedReferences: Map<string, number>) {
  const count = (type: string) => resolvedReferences.set(type, (resolvedReferences.get(type) ?? 0) + 1);
  return {
    Query: {
      incidents: () =>
        data.incidents.map((incident) => ({
          id: incident.id,
          title: incident.title,
          streams: incident.streamArns.map((arn) => ({ __typename: 'EventStream', arn })),
          internetEvent: incident.eventId ? { __typename: 'InternetEvent', eventId: incident.eventId } : null,
        })),
      watchedStreams: () => data.watchedStreamArns.map((arn) => ({ __typename: 'EventStream', arn })),
    },
    EventStream: {
      __resolveReference: (ref: { arn: string }) => {
        count('EventStream');
        return { arn: ref.arn };
      },
      owner: (stream: { arn: string }) => data.owners[stream.arn] ?? null,
    },
    InternetEvent: {
      __resolveReference: (ref: { eventId: string }) => {
        count('InternetEvent');
        return { eventId: ref.eventId };
      },
      impactedCustomers: (event: { eventId: string }) => data.impactedCustomers[event.eventId] ?? 0,
    },
  };
}

export async function startNeighbourSubgraph(data: NeighbourData): Promise<RunningSubgraph> {
  const resolvedReferences = new Map<string, number>();
  const server = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(NEIGHBOUR_TYPE_DEFS),
      resolvers: neighbourResolvers(data, resolvedReferences) as never,
    }),
  });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, resolvedReferences, close: () => server.stop() };
}
