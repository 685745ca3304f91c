import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/**
 * A small subgraph owned by another team, as a supergraph would include it beside ours: it knows nothing about
 * AWS, references our `EventStream` and `EventTracker` (by `arn`) and `InternetEvent` (by `eventId`), adds fields
 * of its own to them, and has root fields that return references for our subgraph to resolve. It has the shapes
 * common subgraphs have: Relay's full `PageInfo` (shareable) on a connection of its own, and a `Tag` of its own
 * that is nothing like an AWS tag.
 */
export const NEIGHBOUR_TYPE_DEFS = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable"])

  "A label of the neighbour's own."
  type Tag {
    name: String!
  }

  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type IncidentEdge {
    cursor: String!
    node: Incident!
  }

  type IncidentConnection {
    edges: [IncidentEdge!]!
    pageInfo: PageInfo!
  }

  "References in bulk, as a dashboard over many incidents makes a router fetch them: one per parent, repeated."
  type Dashboard {
    streams: [EventStream]!
    trackers: [EventTracker]!
    events: [InternetEvent]!
  }

  type Team {
    name: String!
    slackChannel: String!
  }

  "An incident in the neighbour's tracker, pointing at resources of the AWS events graph."
  type Incident {
    id: ID!
    title: String!
    labels: [Tag!]!
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

  type EventTracker @key(fields: "arn", resolvable: false) {
    arn: String!
  }

  type Query {
    incidents: [Incident!]!
    incidentPage(first: Int): IncidentConnection!
    "Streams the neighbour watches: references only, resolved by the AWS events graph (null where one is not)."
    watchedStreams: [EventStream]!
    dashboard: Dashboard!
  }
`;

export interface NeighbourData {
  owners: Record<string, { name: string; slackChannel: string }>;
  impactedCustomers: Record<string, number>;
  incidents: Array<{ id: string; title: string; streamArns: string[]; eventId?: string; labels?: string[] }>;
  watchedStreamArns: string[];
  dashboard?: { streamArns: string[]; trackerArns: string[]; eventIds: string[] };
}

export interface RunningSubgraph {
  url: string;
  /** Entity references this subgraph resolved, by type name: what the supergraph asked of it. */
  resolvedReferences: Map<string, number>;
  close(): Promise<void>;
}

export function neighbourResolvers(data: NeighbourData, resolvedReferences: Map<string, number>) {
  const count = (type: string) => resolvedReferences.set(type, (resolvedReferences.get(type) ?? 0) + 1);
  const incidentOf = (incident: NeighbourData['incidents'][number]) => ({
    id: incident.id,
    title: incident.title,
    labels: (incident.labels ?? []).map((name) => ({ name })),
    streams: incident.streamArns.map((arn) => ({ __typename: 'EventStream', arn })),
    internetEvent: incident.eventId ? { __typename: 'InternetEvent', eventId: incident.eventId } : null,
  });
  return {
    Query: {
      incidentPage: (_: unknown, { first }: { first?: number }) => {
        const page = data.incidents.slice(0, first ?? data.incidents.length);
        const edges = page.map((incident) => ({ cursor: `c-${incident.id}`, node: incidentOf(incident) }));
        return {
          edges,
          pageInfo: {
            hasNextPage: page.length < data.incidents.length,
            hasPreviousPage: false,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
      dashboard: () => ({
        streams: (data.dashboard?.streamArns ?? []).map((arn) => ({ __typename: 'EventStream', arn })),
        trackers: (data.dashboard?.trackerArns ?? []).map((arn) => ({ __typename: 'EventTracker', arn })),
        events: (data.dashboard?.eventIds ?? []).map((eventId) => ({ __typename: 'InternetEvent', eventId })),
      }),
      incidents: () => data.incidents.map(incidentOf),
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
