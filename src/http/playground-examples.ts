/*
 * Resources of the built-in demo data, copied here so that the gateway's bundle carries no emulator code nor demo data
 * (src/emulator/demo-data.ts has the originals; test/http/playground.test.ts runs every example against the demo data,
 * so a copy that drifts from it fails there).
 */
const DEMO_DOMAIN_NAME = 'retail-customers';
const DEMO_EVENT_STREAM_ARN = 'arn:aws:profile:us-east-1:123456789012:domains/retail-customers/event-streams/orders-to-kinesis';
const DEMO_DATASET_GROUP_ARN = 'arn:aws:personalize:us-east-1:123456789012:dataset-group/storefront-recommendations';
const DEMO_EVENT_TRACKER_ARN = 'arn:aws:personalize:us-east-1:123456789012:event-tracker/storefront-clickstream';
const DEMO_INTERNET_EVENT_ID = '7c3e9a12-4b8f-4d21-9f6a-1e2d3c4b5a60';
const DEMO_RESOLVED_INTERNET_EVENT_ID = '0b9d4e7a-2c15-4f38-8a6e-5d7c9b1f2e34';

/** One GraphiQL tab the playground opens with. */
export interface PlaygroundExample {
  query: string;
  /** JSON text, as GraphiQL's variables editor holds it. */
  variables?: string;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * The tabs a new visitor sees, in order. They name resources of the built-in demo data (the constants above); against
 * real AWS the same operations work once the ids are replaced with the caller's own.
 */
export const PLAYGROUND_EXAMPLES: readonly PlaygroundExample[] = [
  {
    query: `# Event streams, event trackers and internet events in one graph.
# Run this operation with the play button or Ctrl-Enter;
# the other tabs hold more examples.

query ActiveInternetEvents {
  internetEvents(status: ACTIVE, first: 5) {
    nodes {
      eventId
      type
      startedAt
      clientLocation {
        asName
        city
        country
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`,
  },
  {
    query: `# The event streams of one Customer Profiles domain, with their destinations' health.
query EventStreamsOfDomain($domainName: String!, $region: String) {
  eventStreams(domainName: $domainName, region: $region, first: 10) {
    nodes {
      name
      state
      destination {
        status
        kinesisStreamName
        message
      }
      tags {
        key
        value
      }
    }
  }
}
`,
    variables: json({ domainName: DEMO_DOMAIN_NAME, region: 'us-east-1' }),
  },
  {
    query: `# A Personalize event tracker and the dataset group it feeds.
query TrackerWithDatasetGroup($arn: String!) {
  eventTracker(arn: $arn) {
    name
    status
    statusText
    trackingId
    datasetGroup {
      name
      domain
      eventTrackers {
        name
        status
      }
    }
  }
}
`,
    variables: json({ arn: DEMO_EVENT_TRACKER_ARN }),
  },
  {
    query: `# Resources of all three services in one request, by id (an ARN, or an internet event id).
query AnythingById($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    __typename
    ... on EventStream {
      name
      state
    }
    ... on EventTracker {
      name
      status
    }
    ... on DatasetGroup {
      name
      domain
    }
    ... on InternetEvent {
      eventStatus: status
      endedAt
      clientLocation {
        city
      }
    }
  }
}
`,
    variables: json({
      ids: [DEMO_EVENT_STREAM_ARN, DEMO_EVENT_TRACKER_ARN, DEMO_DATASET_GROUP_ARN, DEMO_RESOLVED_INTERNET_EVENT_ID],
    }),
  },
  {
    query: `# One internet event by id, with where it happened.
query InternetEventById($eventId: String!) {
  internetEvent(eventId: $eventId) {
    eventId
    type
    status
    startedAt
    endedAt
    clientLocation {
      asName
      asNumber
      city
      metro
      country
      latitude
      longitude
    }
  }
}
`,
    variables: json({ eventId: DEMO_INTERNET_EVENT_ID }),
  },
];
