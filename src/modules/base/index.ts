import { loadSchemaFile } from '../../schema-file.js';
import type { NodeForm, ServiceModule } from '../../service-module.js';
import { createResolvers } from './resolvers.js';

/**
 * What every service shares: the `Node` interface, `node` and `nodes` (through the service modules' node forms),
 * the scalars, pagination and tag types. It calls no AWS service itself.
 */
export const createBaseModule = (forms: readonly NodeForm[]): ServiceModule => ({
  name: 'base',
  typeDefs: loadSchemaFile('base'),
  resolvers: createResolvers(forms),
  awsServices: [],
  argumentRules: {},
  costs: {
    'Query.node': { kind: 'ids', argument: 'id' },
    'Query.nodes': { kind: 'ids', argument: 'ids' },
    'Query.awsResource': { kind: 'ids', argument: 'id' },
    'Query.awsResources': { kind: 'ids', argument: 'ids' },
    // Added by the subgraph schema: a federated router's entity references, resolved like `nodes`.
    'Query._entities': { kind: 'ids', argument: 'representations', entities: true },
  },
  summaryGaps: {},
  cacheStates: {},
  nodeForms: [],
  examples: [
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
      // Resources of the demo data, one of each type.
      variables: JSON.stringify(
        {
          ids: [
            'arn:aws:profile:us-east-1:123456789012:domains/retail-customers/event-streams/orders-to-kinesis',
            'arn:aws:personalize:us-east-1:123456789012:event-tracker/storefront-clickstream',
            'arn:aws:personalize:us-east-1:123456789012:dataset-group/storefront-recommendations',
            '0b9d4e7a-2c15-4f38-8a6e-5d7c9b1f2e34',
          ],
        },
        null,
        2,
      ),
    },
  ],
});
