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
        name
        status
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
];
