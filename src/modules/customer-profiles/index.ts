import { CustomerProfilesClient } from '@aws-sdk/client-customer-profiles';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { scopeCount } from '../../estate.js';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { PAGINATE_MAX_PAGES } from '../../pagination.js';
import { loadSchemaFile } from '../../schema-file.js';
import type { AwsClient } from '../../aws/clients.js';
import type { ServiceModule } from '../../service-module.js';
import { AVAILABILITY, KINESIS, KINESIS_AVAILABILITY, SERVICE } from './arns.js';
import { examples } from './examples.js';
import { DOMAIN_LIST_PAGES, eventStreamPlans } from './loaders.js';
import { eventStreamIdentifierNodeForm, eventStreamNeedsDetails, eventStreamNodeForm } from './lookups.js';
import type { EventStreamModel, KinesisStreamModel } from './mappers.js';
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
      iamActions: ['profile:GetEventStream', 'profile:ListDomains', 'profile:ListEventStreams'],
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
    {
      // The streams event streams write to: read to say whether the destination itself is healthy.
      id: KINESIS,
      iamActions: ['kinesis:DescribeStreamSummary'],
      partitions: KINESIS_AVAILABILITY.partitions,
      // Kinesis Data Streams quotas: DescribeStreamSummary, 20 transactions per second per account.
      quotas: { DescribeStreamSummary: { perSecond: 20, burst: 20 } },
      createClient: ({ handlerOptions, ...options }) =>
        new KinesisClient({
          ...options,
          requestHandler: new NodeHttpHandler(handlerOptions),
        }) as unknown as AwsClient,
    },
  ],
  argumentRules: {
    'Query.eventStream': eventStreamArguments.eventStream,
    'Query.eventStreamByIdentifier': eventStreamArguments.eventStreamByIdentifier,
    'Query.eventStreams': eventStreamArguments.eventStreams,
    'Query.domains': eventStreamArguments.domains,
    'Domain.eventStreams': eventStreamArguments.domainEventStreams,
    'Mutation.createEventStream': eventStreamWriteArguments.createEventStream,
    'Mutation.updateEventStream': eventStreamWriteArguments.updateEventStream,
    'Mutation.deleteEventStream': eventStreamWriteArguments.deleteEventStream,
  },
  costs: {
    'Query.eventStream': { kind: 'lookup', calls: eventStreamPlans.one },
    'Query.eventStreamByIdentifier': { kind: 'lookup', calls: eventStreamPlans.one },
    'Query.eventStreams': {
      kind: 'connection',
      pages: PAGINATE_MAX_PAGES,
      items: 'summary',
      pagesOf: (args, { config, scope }) => {
        const scopes = scopeCount(config, scope, args, AVAILABILITY);
        if (args.domainName !== null && args.domainName !== undefined)
          return { bound: scopes * PAGINATE_MAX_PAGES, floor: scopes };
        // Every domain of every scope: its domain list, then each domain's pages; at least the domain lists.
        const domains = DOMAIN_LIST_PAGES * 100;
        return { bound: scopes * (DOMAIN_LIST_PAGES + domains * PAGINATE_MAX_PAGES), floor: scopes };
      },
    },
    'Query.domains': {
      kind: 'connection',
      pages: PAGINATE_MAX_PAGES,
      items: 'full',
      pagesOf: (args, { config, scope }) => {
        // Whatever the data, one first page per scope; at most every page of every scope.
        const scopes = scopeCount(config, scope, args, AVAILABILITY);
        return { bound: scopes * PAGINATE_MAX_PAGES, floor: scopes };
      },
    },
    'Domain.eventStreams': { kind: 'connection', pages: PAGINATE_MAX_PAGES, items: 'summary' },
    'EventStreamDestination.kinesisStream': { kind: 'lookup', calls: eventStreamPlans.kinesisStream },
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
    KinesisStream: {
      // An active stream stays so until someone changes it; one being created, updated or deleted moves on soon.
      defaults: { ACTIVE: 300, TRANSITIONAL: 10 },
      stateOf: (s: KinesisStreamModel) => (s.status === 'ACTIVE' ? 'ACTIVE' : 'TRANSITIONAL'),
    },
  },
  nodeForms: [eventStreamNodeForm, eventStreamIdentifierNodeForm],
  examples,
};
