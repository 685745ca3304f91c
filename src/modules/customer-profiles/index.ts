import { CustomerProfilesClient } from '@aws-sdk/client-customer-profiles';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { PAGINATE_MAX_PAGES } from '../../pagination.js';
import { loadSchemaFile } from '../../schema-file.js';
import type { AwsClient } from '../../aws/clients.js';
import type { ServiceModule } from '../../service-module.js';
import { AVAILABILITY, SERVICE } from './arns.js';
import { examples } from './examples.js';
import { eventStreamPlans } from './loaders.js';
import { eventStreamIdentifierNodeForm, eventStreamNeedsDetails, eventStreamNodeForm } from './lookups.js';
import type { EventStreamModel } from './mappers.js';
import { eventStreamWritePlans } from './mutations.js';
import { resolvers } from './resolvers.js';
import { eventStreamArguments, eventStreamWriteArguments } from './rules.js';

/** Amazon Connect Customer Profiles: event streams of domains, and the Kinesis stream each one feeds. */
export const customerProfiles: ServiceModule = {
  name: 'customer-profiles',
  typeDefs: loadSchemaFile('customer-profiles'),
  resolvers,
  awsServices: [
    {
      id: SERVICE,
      iamActions: ['profile:GetEventStream', 'profile:ListEventStreams'],
      writeIamActions: {
        CreateEventStream: ['profile:CreateEventStream'],
        TagResource: ['profile:TagResource'],
        UntagResource: ['profile:UntagResource'],
        DeleteEventStream: ['profile:DeleteEventStream'],
      },
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
    'Query.eventStreamByIdentifier': eventStreamArguments.eventStreamByIdentifier,
    'Query.eventStreams': eventStreamArguments.eventStreams,
    'Mutation.createEventStream': eventStreamWriteArguments.createEventStream,
    'Mutation.updateEventStream': eventStreamWriteArguments.updateEventStream,
    'Mutation.deleteEventStream': eventStreamWriteArguments.deleteEventStream,
  },
  costs: {
    'Query.eventStream': { kind: 'lookup', calls: eventStreamPlans.one },
    'Query.eventStreamByIdentifier': { kind: 'lookup', calls: eventStreamPlans.one },
    'Query.eventStreams': { kind: 'connection', pages: PAGINATE_MAX_PAGES, items: 'summary' },
    'Mutation.createEventStream': { kind: 'lookup', calls: eventStreamWritePlans.create },
    'Mutation.updateEventStream': { kind: 'lookup', calls: eventStreamWritePlans.update },
    'Mutation.deleteEventStream': { kind: 'lookup', calls: eventStreamWritePlans.delete },
    // The created stream, read when selected; the update's is known from its own read (no cost).
    'CreateEventStreamPayload.eventStream': { kind: 'lookup', calls: eventStreamPlans.one },
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
  nodeForms: [eventStreamNodeForm, eventStreamIdentifierNodeForm],
  examples,
};
