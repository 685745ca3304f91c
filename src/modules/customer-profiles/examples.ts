import type { PlaygroundExample } from '../../service-module.js';

/** Playground tabs; the demo data holds the resources they name (a test runs every tab against it). */
export const examples: readonly PlaygroundExample[] = [
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
    variables: JSON.stringify({ domainName: 'retail-customers', region: 'us-east-1' }, null, 2),
  },
  {
    query: `# Every unhealthy stream anywhere: the event streams of every domain, in every configured account and
# every allowed region, whose destination is UNHEALTHY, with the Kinesis stream behind each. Scopes are read in
# parallel; an account or region that fails adds one error naming it, and the others still answer.
query UnhealthyStreamsAnywhere {
  eventStreams(accounts: ["*"], regions: ["*"], destinationStatus: UNHEALTHY, first: 50) {
    nodes {
      accountId
      region
      domainName
      name
      state
      destination {
        statusText
        unhealthySince
        kinesisStream {
          status
          openShardCount
        }
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
  // The writes, in the order they make sense in: create a stream, change its tags, delete it.
  {
    query: `# Creates an event stream into a Kinesis data stream (the demo lets anyone write).
# Run it twice: the second run finds the same stream with the same destination, and succeeds too.
mutation CreateEventStream($input: CreateEventStreamInput!) {
  createEventStream(input: $input) {
    eventStream {
      arn
      state
      destination {
        status
        kinesisStreamName
      }
      tags {
        key
        value
      }
    }
  }
}
`,
    variables: JSON.stringify(
      {
        input: {
          domainName: 'retail-customers',
          name: 'playground-stream',
          uri: 'arn:aws:kinesis:us-east-1:123456789012:stream/playground-events',
          tags: [{ key: 'owner', value: 'playground' }],
        },
      },
      null,
      2,
    ),
  },
  {
    query: `# Replaces the stream's tags with this set: new and changed tags are set, the others removed.
mutation UpdateEventStreamTags($input: UpdateEventStreamInput!) {
  updateEventStream(input: $input) {
    eventStream {
      name
      tags {
        key
        value
      }
    }
  }
}
`,
    variables: JSON.stringify(
      {
        input: {
          domainName: 'retail-customers',
          name: 'playground-stream',
          tags: [
            { key: 'owner', value: 'data-platform' },
            { key: 'cost-center', value: 'analytics' },
          ],
        },
      },
      null,
      2,
    ),
  },
  {
    query: `# Deletes the stream; its ARN comes back.
mutation DeleteEventStream($input: DeleteEventStreamInput!) {
  deleteEventStream(input: $input) {
    deletedId
  }
}
`,
    variables: JSON.stringify({ input: { domainName: 'retail-customers', name: 'playground-stream' } }, null, 2),
  },
];
