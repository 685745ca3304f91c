import type { PlaygroundExample } from '../../service-module.js';

/** Playground tabs; the demo data holds the resources they name (a test runs every tab against it). */
export const examples: readonly PlaygroundExample[] = [
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
        nodes {
          name
          status
        }
      }
    }
  }
}
`,
    variables: JSON.stringify(
      { arn: 'arn:aws:personalize:us-east-1:123456789012:event-tracker/storefront-clickstream' },
      null,
      2,
    ),
  },
  {
    query: `# Why a dataset group could not be created: failureReason is AWS's only explanation.
query FailedDatasetGroup($arn: String!) {
  datasetGroup(arn: $arn) {
    name
    status
    statusText
    failureReason
    roleArn
    kmsKeyArn
  }
}
`,
    variables: JSON.stringify({ arn: 'arn:aws:personalize:us-west-2:123456789012:dataset-group/spring-sale' }, null, 2),
  },
  {
    query: `# Creates an event tracker for a dataset group whose own tracker is being deleted (one per group).
# It starts CREATE_PENDING, and is ACTIVE about a minute later.
mutation CreateEventTracker($input: CreateEventTrackerInput!) {
  createEventTracker(input: $input) {
    eventTracker {
      arn
      status
      statusText
      trackingId
    }
  }
}
`,
    variables: JSON.stringify(
      {
        input: {
          datasetGroupArn: 'arn:aws:personalize:us-east-1:123456789012:dataset-group/streaming-catalog',
          name: 'playground-watch-events',
          tags: [{ key: 'owner', value: 'playground' }],
        },
      },
      null,
      2,
    ),
  },
  {
    query: `# Deletes the tracker: DELETE_PENDING for a while, then gone.
mutation DeleteEventTracker($input: DeleteEventTrackerInput!) {
  deleteEventTracker(input: $input) {
    deletedId
  }
}
`,
    variables: JSON.stringify(
      { input: { arn: 'arn:aws:personalize:us-east-1:123456789012:event-tracker/playground-watch-events' } },
      null,
      2,
    ),
  },
];
