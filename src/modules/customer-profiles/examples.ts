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
];
