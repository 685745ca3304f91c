import { CustomerProfilesClient } from '@aws-sdk/client-customer-profiles';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { PAGINATE_MAX_PAGES } from '../../pagination.js';
import { loadSchemaFile } from '../../schema-file.js';
import type { AwsClient } from '../../aws/clients.js';
import type { ServiceModule } from '../../service-module.js';
import { AVAILABILITY, SERVICE } from './arns.js';
import { examples } from './examples.js';
import { eventStreamPlans } from './loaders.js';
import { eventStreamNeedsDetails, eventStreamNodeForm } from './lookups.js';
import type { EventStreamModel } from './mappers.js';
import { resolvers } from './resolvers.js';
import { eventStreamArguments } from './rules.js';

/** Amazon Connect Customer Profiles: event streams of domains, and the Kinesis stream each one feeds. */
export const customerProfiles: ServiceModule = {
  name: 'customer-profiles',
  typeDefs: loadSchemaFile('customer-profiles'),
  resolvers,
  awsServices: [
    {
      id: SERVICE,
      iamActions: ['profile:GetEventStream', 'profile:ListEventStreams'],
      partitions: AVAILABILITY.partitions,
      createClient: ({ handlerOptions, ...options }) =>
        new CustomerProfilesClient({
          ...options,
          requestHandler: new NodeHttpHandler(handlerOptions),
        }) as unknown as AwsClient,
    },
  ],
  argumentRules: {
    'Query.eventStream': eventStreamArguments.eventStream,
    'Query.eventStreams': eventStreamArguments.eventStreams,
  },
  costs: {
    'Query.eventStream': { kind: 'lookup', calls: eventStreamPlans.one },
    'Query.eventStreams': { kind: 'connection', pages: PAGINATE_MAX_PAGES, items: 'summary' },
  },
  summaryGaps: { EventStream: eventStreamNeedsDetails },
  cacheStates: {
    EventStream: {
      // A running, healthy stream is the steady state; a stopped or unhealthy one is usually being fixed.
      defaults: { RUNNING_HEALTHY: 120, DEGRADED: 15 },
      stateOf: (s: EventStreamModel) =>
        s.state === 'RUNNING' && s.destination?.status !== 'UNHEALTHY' ? 'RUNNING_HEALTHY' : 'DEGRADED',
    },
  },
  nodeForms: [eventStreamNodeForm],
  examples,
};
