import { InternetMonitorClient } from '@aws-sdk/client-internetmonitor';
import { NodeHttpHandler as LegacyNodeHttpHandler } from '@aws-sdk/node-http-handler';
import type { AwsClient } from '../../aws/clients.js';
import { LegacyClientRetryStrategy } from '../../aws/resilience.js';
import { PAGINATE_MAX_PAGES } from '../../pagination.js';
import { loadSchemaFile } from '../../schema-file.js';
import type { ServiceModule } from '../../service-module.js';
import { AVAILABILITY, SERVICE } from './arns.js';
import { internetMonitorEndpoint } from './endpoint.js';
import { examples } from './examples.js';
import { internetEventPlans } from './loaders.js';
import { internetEventNodeForm } from './lookups.js';
import type { InternetEventModel } from './mappers.js';
import { resolvers } from './resolvers.js';
import { internetEventArguments } from './rules.js';

/** CloudWatch Internet Monitor: internet events (global). */
export const internetMonitor: ServiceModule = {
  name: 'internet-monitor',
  typeDefs: loadSchemaFile('internet-monitor'),
  resolvers,
  awsServices: [
    {
      id: SERVICE,
      global: true,
      partitions: AVAILABILITY.partitions,
      iamActions: ['internetmonitor:GetInternetEvent', 'internetmonitor:ListInternetEvents'],
      // The 3.332 client predates @smithy; it needs the handler of its own generation, a retry strategy that
      // works (see LegacyClientRetryStrategy), and the current endpoint rule set rather than its own (endpoint.ts).
      createClient: ({ handlerOptions, ...options }) =>
        new InternetMonitorClient({
          ...options,
          endpointProvider: internetMonitorEndpoint,
          retryStrategy: new LegacyClientRetryStrategy(options.maxAttempts) as never,
          requestHandler: new LegacyNodeHttpHandler(handlerOptions),
        }) as unknown as AwsClient,
    },
  ],
  argumentRules: {
    'Query.internetEvent': internetEventArguments.internetEvent,
    'Query.internetEvents': internetEventArguments.internetEvents,
  },
  costs: {
    'Query.internetEvent': { kind: 'lookup', calls: internetEventPlans.one },
    // List summaries are complete: items never cost a Get.
    'Query.internetEvents': { kind: 'connection', pages: PAGINATE_MAX_PAGES, items: 'full' },
  },
  summaryGaps: {},
  cacheStates: {
    InternetEvent: {
      // Resolved events are history; ongoing ones can end any minute (the Internet Weather Map refreshes as often).
      // A status this schema does not know is treated as the one that may change soonest.
      defaults: { RESOLVED: 3600, ACTIVE: 30, UNKNOWN: 30 },
      stateOf: (e: InternetEventModel) => e.status,
    },
  },
  nodeForms: [internetEventNodeForm],
  examples,
};
