import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsClient } from '../../aws/clients.js';
import { scopeCount } from '../../estate.js';
import { PAGINATE_MAX_PAGES } from '../../pagination.js';
import { loadSchemaFile } from '../../schema-file.js';
import type { ServiceModule } from '../../service-module.js';
import { AVAILABILITY, SERVICE } from './arns.js';
import { examples } from './examples.js';
import { personalizePlans } from './loaders.js';
import { datasetGroupNodeForm, eventTrackerNeedsDetails, eventTrackerNodeForm } from './lookups.js';
import type { DatasetGroupModel, EventTrackerModel } from './mappers.js';
import { eventTrackerWritePlans } from './mutations.js';
import { resolvers } from './resolvers.js';
import { personalizeArguments, personalizeWriteArguments } from './rules.js';

/** Steady states change only when someone deletes the resource; the others move on within seconds to minutes. */
const STABLE = new Set(['ACTIVE', 'CREATE_FAILED']);

/** Amazon Personalize: dataset groups and their event trackers. */
export const personalize: ServiceModule = {
  name: 'personalize',
  typeDefs: loadSchemaFile('personalize'),
  resolvers,
  awsServices: [
    {
      id: SERVICE,
      partitions: AVAILABILITY.partitions,
      iamActions: [
        'personalize:DescribeDatasetGroup',
        'personalize:DescribeEventTracker',
        'personalize:ListDatasetGroups',
        'personalize:ListEventTrackers',
      ],
      writeIamActions: {
        // Tags given at creation are authorised as TagResource too.
        CreateEventTracker: ['personalize:CreateEventTracker', 'personalize:TagResource'],
        DeleteEventTracker: ['personalize:DeleteEventTracker'],
      },
      createClient: ({ handlerOptions, ...options }) =>
        new PersonalizeClient({
          ...options,
          requestHandler: new NodeHttpHandler(handlerOptions),
        }) as unknown as AwsClient,
    },
  ],
  argumentRules: {
    'Query.eventTracker': personalizeArguments.eventTracker,
    'Query.datasetGroup': personalizeArguments.datasetGroup,
    'Query.eventTrackers': personalizeArguments.eventTrackers,
    'Query.datasetGroups': personalizeArguments.datasetGroups,
    'DatasetGroup.eventTrackers': personalizeArguments.datasetGroupEventTrackers,
    'Mutation.createEventTracker': personalizeWriteArguments.createEventTracker,
    'Mutation.deleteEventTracker': personalizeWriteArguments.deleteEventTracker,
  },
  costs: {
    'Query.eventTracker': { kind: 'lookup', calls: personalizePlans.one },
    'Query.datasetGroup': { kind: 'lookup', calls: personalizePlans.one },
    'Query.eventTrackers': {
      kind: 'connection',
      pages: PAGINATE_MAX_PAGES,
      items: 'summary',
      pagesOf: (args, { config, scope }) => {
        // One dataset group's trackers are one scope, whatever `accounts` says (refused with it).
        const scopes = args.datasetGroupArn ? 1 : scopeCount(config, scope, args, AVAILABILITY);
        // Whatever the data, one first page per scope; at most every page of every scope.
        return { bound: scopes * PAGINATE_MAX_PAGES, floor: scopes };
      },
    },
    'Query.datasetGroups': {
      kind: 'connection',
      pages: PAGINATE_MAX_PAGES,
      items: 'summary',
      pagesOf: (args, { config, scope }) => {
        // Whatever the data, one first page per scope; at most every page of every scope.
        const scopes = scopeCount(config, scope, args, AVAILABILITY);
        return { bound: scopes * PAGINATE_MAX_PAGES, floor: scopes };
      },
    },
    'EventTracker.datasetGroup': { kind: 'lookup', calls: personalizePlans.one },
    'Mutation.createEventTracker': { kind: 'lookup', calls: eventTrackerWritePlans.create },
    'Mutation.deleteEventTracker': { kind: 'lookup', calls: eventTrackerWritePlans.delete },
    // The created tracker, read when selected.
    'CreateEventTrackerPayload.eventTracker': { kind: 'lookup', calls: personalizePlans.one },
    'DatasetGroup.eventTrackers': { kind: 'connection', pages: personalizePlans.trackersOfGroup, items: 'summary' },
  },
  summaryGaps: {
    EventTracker: eventTrackerNeedsDetails,
    // List summaries lack the role and the key.
    DatasetGroup: (has) => has('roleArn') || has('kmsKeyArn'),
  },
  cacheStates: {
    EventTracker: {
      defaults: { ACTIVE: 600, CREATE_FAILED: 300, TRANSITIONAL: 5, UNKNOWN: 5 },
      stateOf: (t: EventTrackerModel) =>
        STABLE.has(t.status) ? t.status : t.status === 'UNKNOWN' ? 'UNKNOWN' : 'TRANSITIONAL',
    },
    DatasetGroup: {
      defaults: { ACTIVE: 600, CREATE_FAILED: 300, TRANSITIONAL: 5, UNKNOWN: 5 },
      stateOf: (g: DatasetGroupModel) =>
        STABLE.has(g.status) ? g.status : g.status === 'UNKNOWN' ? 'UNKNOWN' : 'TRANSITIONAL',
    },
  },
  nodeForms: [eventTrackerNodeForm, datasetGroupNodeForm],
  examples,
};
