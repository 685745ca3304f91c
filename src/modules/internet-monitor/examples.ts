import type { PlaygroundExample } from '../../service-module.js';

/** Playground tabs; the demo data holds the resources they name (a test runs every tab against it). */
export const examples: readonly PlaygroundExample[] = [
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
    variables: JSON.stringify({ eventId: '7c3e9a12-4b8f-4d21-9f6a-1e2d3c4b5a60' }, null, 2),
  },
];
