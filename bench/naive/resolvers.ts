import {
  type CustomerProfilesClient,
  GetEventStreamCommand,
  ListEventStreamsCommand,
} from '@aws-sdk/client-customer-profiles';
import type { InternetMonitorClient } from '@aws-sdk/client-internetmonitor';
import {
  DescribeDatasetGroupCommand,
  DescribeEventTrackerCommand,
  ListEventTrackersCommand,
  type PersonalizeClient,
} from '@aws-sdk/client-personalize';
import type { ClientRegistry } from '../../src/aws/clients.js';
import { type AwsCallSite, fromAwsError } from '../../src/errors.js';
import { DateTimeScalar, LongScalar } from '../../src/modules/base/scalars.js';
import { eventStreamIdentity, parseEventStreamArn } from '../../src/modules/customer-profiles/arns.js';
import {
  type EventStreamDestinationModel,
  type EventStreamModel,
  toEventStream,
  toEventStreamFromSummary,
} from '../../src/modules/customer-profiles/mappers.js';
import { Rules as CustomerProfilesRules } from '../../src/modules/customer-profiles/rules.js';
import { internetEventIdFromArn } from '../../src/modules/internet-monitor/arns.js';
import { Rules as InternetMonitorRules } from '../../src/modules/internet-monitor/rules.js';
import { parsePersonalizeArn } from '../../src/modules/personalize/arns.js';
import { Rules as PersonalizeRules } from '../../src/modules/personalize/rules.js';
import { parseArn } from '../../src/resource/arn.js';
import type { ResourceIdentity } from '../../src/resource/identity.js';
import { GetInternetEventCommand, ListInternetEventsCommand } from '../../src/modules/internet-monitor/commands.js';
import { type InternetEventModel, toInternetEvent } from '../../src/modules/internet-monitor/mappers.js';
import {
  type DatasetGroupModel,
  type EventTrackerModel,
  toDatasetGroup,
  toEventTracker,
  toEventTrackerFromSummary,
} from '../../src/modules/personalize/mappers.js';
import { listKey, paginate } from '../../src/pagination.js';

type ResolverMap = Parameters<typeof import('@apollo/subgraph').buildSubgraphSchema>[0] extends infer M
  ? M extends ReadonlyArray<{ resolvers?: infer R }>
    ? NonNullable<R>
    : never
  : never;

/** The naive server has no account of its own: the scope of names without an ARN. */
const NO_SCOPE = { partition: 'aws', accountId: '' };

const profile = (ctx: NaiveContext, region: string) =>
  ctx.clients.get('profile', region) as unknown as CustomerProfilesClient;
const personalize = (ctx: NaiveContext, region: string) =>
  ctx.clients.get('personalize', region) as unknown as PersonalizeClient;
const internetMonitor = (ctx: NaiveContext, region: string) =>
  ctx.clients.get('internetmonitor', region) as unknown as InternetMonitorClient;

/**
 * The schema implemented the way a first version usually is: every resolver calls the SDK itself, at the moment it
 * runs. No DataLoader, no cache, no batching: each field that needs a resource makes its own Get/Describe (twice
 * for the same resource means two calls), each connection field makes its own List calls, and fields that list
 * summaries lack cost one Get per field. It shares with the gateway only what is not call planning: the SDK
 * clients (one per service and region), the mappers from AWS shapes to GraphQL shapes, and cursor encoding, so
 * that both return the same data.
 */

export interface NaiveContext {
  clients: ClientRegistry;
  defaultRegion: string;
  internetMonitorRegion: string;
  defaultPageSize: number;
}

type Model = EventStreamModel | EventTrackerModel | DatasetGroupModel | InternetEventModel;

async function send<T>(site: AwsCallSite, call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    const mapped = fromAwsError(error, site);
    if (mapped.extensions.code === 'NOT_FOUND') return null;
    throw mapped;
  }
}

async function getEventStream(ctx: NaiveContext, key: ResourceIdentity): Promise<EventStreamModel | null> {
  const [domainName, name] = key.id.split('/');
  const out = await send({ service: 'profile', operation: 'GetEventStream', region: key.region }, () =>
    profile(ctx, key.region).send(new GetEventStreamCommand({ DomainName: domainName, EventStreamName: name })),
  );
  return out ? toEventStream(key, out) : null;
}

async function describeEventTracker(ctx: NaiveContext, arn: string): Promise<EventTrackerModel | null> {
  const region = parsePersonalizeArn(arn)?.region ?? ctx.defaultRegion;
  const out = await send({ service: 'personalize', operation: 'DescribeEventTracker', region }, () =>
    personalize(ctx, region).send(new DescribeEventTrackerCommand({ eventTrackerArn: arn })),
  );
  return out?.eventTracker ? toEventTracker(arn, out.eventTracker, region) : null;
}

async function describeDatasetGroup(ctx: NaiveContext, arn: string): Promise<DatasetGroupModel | null> {
  const region = parsePersonalizeArn(arn)?.region ?? ctx.defaultRegion;
  const out = await send({ service: 'personalize', operation: 'DescribeDatasetGroup', region }, () =>
    personalize(ctx, region).send(new DescribeDatasetGroupCommand({ datasetGroupArn: arn })),
  );
  return out?.datasetGroup ? toDatasetGroup(arn, out.datasetGroup, region) : null;
}

async function getInternetEvent(ctx: NaiveContext, eventId: string): Promise<InternetEventModel | null> {
  const region = ctx.internetMonitorRegion;
  const out = await send({ service: 'internetmonitor', operation: 'GetInternetEvent', region }, () =>
    internetMonitor(ctx, region).send(new GetInternetEventCommand({ EventId: eventId })),
  );
  return out ? toInternetEvent(out) : null;
}

async function byArn(ctx: NaiveContext, id: string): Promise<Model | null> {
  const arn = parseArn(id);
  if (arn?.service === 'profile') {
    const parsed = parseEventStreamArn(id);
    return parsed
      ? getEventStream(ctx, eventStreamIdentity(parsed, parsed.region, parsed.domainName, parsed.name))
      : null;
  }
  if (arn?.service === 'personalize') {
    const parsed = parsePersonalizeArn(id);
    if (parsed?.type === 'event-tracker') return describeEventTracker(ctx, id);
    if (parsed?.type === 'dataset-group') return describeDatasetGroup(ctx, id);
    return null;
  }
  if (arn?.service === 'internetmonitor') {
    const eventId = internetEventIdFromArn(id);
    return eventId ? getInternetEvent(ctx, eventId) : null;
  }
  return getInternetEvent(ctx, id);
}

/** The complete stream behind a list summary: one GetEventStream per call, no memo. */
async function completeStream(ctx: NaiveContext, key: ResourceIdentity): Promise<EventStreamModel> {
  const stream = await getEventStream(ctx, key);
  if (!stream) throw new Error(`Event stream ${key.id} disappeared`);
  return stream;
}

async function completeTracker(ctx: NaiveContext, tracker: EventTrackerModel): Promise<EventTrackerModel> {
  if (tracker.complete) return tracker;
  const full = await describeEventTracker(ctx, tracker.arn);
  if (!full) throw new Error(`Event tracker ${tracker.arn} disappeared`);
  return full;
}

export const naiveResolvers: ResolverMap = {
  DateTime: DateTimeScalar,
  Long: LongScalar,
  Node: {
    __resolveType: (node: Model) => node.kind,
  },
  Query: {
    node: (_: unknown, args: { id: string }, ctx: NaiveContext) => byArn(ctx, args.id),
    nodes: (_: unknown, args: { ids: string[] }, ctx: NaiveContext) => args.ids.map((id) => byArn(ctx, id)),

    eventStream: (_: unknown, args: { domainName: string; name: string; region?: string | null }, ctx: NaiveContext) =>
      getEventStream(ctx, eventStreamIdentity(NO_SCOPE, args.region ?? ctx.defaultRegion, args.domainName, args.name)),
    eventStreams: (
      _: unknown,
      args: { domainName: string; region?: string | null; first?: number | null; after?: string | null },
      ctx: NaiveContext,
    ) => {
      const region = args.region ?? ctx.defaultRegion;
      return paginate({
        list: listKey('eventStreams', region, args.domainName),
        first: args.first ?? ctx.defaultPageSize,
        after: args.after,
        tokenRule: CustomerProfilesRules.token,
        fetchPage: async (token, maxResults) => {
          const out = await profile(ctx, region).send(
            new ListEventStreamsCommand({ DomainName: args.domainName, NextToken: token, MaxResults: maxResults }),
          );
          return {
            items: (out.Items ?? []).map((s) => toEventStreamFromSummary(NO_SCOPE, region, s)),
            nextToken: out.NextToken || undefined,
          };
        },
      });
    },

    eventTracker: (_: unknown, args: { arn: string }, ctx: NaiveContext) => describeEventTracker(ctx, args.arn),
    datasetGroup: (_: unknown, args: { arn: string }, ctx: NaiveContext) => describeDatasetGroup(ctx, args.arn),
    eventTrackers: (
      _: unknown,
      args: { datasetGroupArn?: string | null; region?: string | null; first?: number | null; after?: string | null },
      ctx: NaiveContext,
    ) => {
      const datasetGroupArn = args.datasetGroupArn ?? null;
      const region =
        (datasetGroupArn ? parsePersonalizeArn(datasetGroupArn)?.region : args.region) ?? ctx.defaultRegion;
      return paginate({
        list: listKey('eventTrackers', region, datasetGroupArn),
        first: args.first ?? ctx.defaultPageSize,
        after: args.after,
        tokenRule: PersonalizeRules.token,
        fetchPage: async (token, maxResults) => {
          const out = await personalize(ctx, region).send(
            new ListEventTrackersCommand({
              datasetGroupArn: datasetGroupArn ?? undefined,
              nextToken: token,
              maxResults,
            }),
          );
          return {
            items: (out.eventTrackers ?? []).map((s) => toEventTrackerFromSummary(s, region, datasetGroupArn)),
            nextToken: out.nextToken || undefined,
          };
        },
      });
    },

    internetEvent: (_: unknown, args: { eventId: string }, ctx: NaiveContext) => getInternetEvent(ctx, args.eventId),
    internetEvents: (
      _: unknown,
      args: {
        startTime?: Date | null;
        endTime?: Date | null;
        status?: string | null;
        type?: string | null;
        first?: number | null;
        after?: string | null;
      },
      ctx: NaiveContext,
    ) =>
      paginate({
        list: listKey(
          'internetEvents',
          args.startTime?.toISOString(),
          args.endTime?.toISOString(),
          args.status,
          args.type,
        ),
        first: args.first ?? ctx.defaultPageSize,
        after: args.after,
        tokenRule: InternetMonitorRules.token,
        fetchPage: async (token, maxResults) => {
          const out = await internetMonitor(ctx, ctx.internetMonitorRegion).send(
            new ListInternetEventsCommand({
              NextToken: token,
              MaxResults: maxResults,
              StartTime: args.startTime ?? undefined,
              EndTime: args.endTime ?? undefined,
              EventStatus: args.status ?? undefined,
              EventType: args.type ?? undefined,
            }),
          );
          return { items: (out.InternetEvents ?? []).map(toInternetEvent), nextToken: out.NextToken || undefined };
        },
      }),
  },
  EventStream: {
    __resolveReference: (ref: { arn: string }, ctx: NaiveContext) => byArn(ctx, ref.arn),
    id: (stream: EventStreamModel) => stream.arn,
    createdAt: async (stream: EventStreamModel, _: unknown, ctx: NaiveContext) =>
      stream.createdAt ?? (await completeStream(ctx, stream.identity)).createdAt,
    destination: async (stream: EventStreamModel, _: unknown, ctx: NaiveContext) =>
      stream.destination ?? (await completeStream(ctx, stream.identity)).destination,
  },
  EventStreamDestination: {
    message: async (destination: EventStreamDestinationModel, _: unknown, ctx: NaiveContext) =>
      destination.complete
        ? destination.message
        : ((await completeStream(ctx, destination.stream)).destination?.message ?? null),
  },
  EventTracker: {
    __resolveReference: (ref: { arn: string }, ctx: NaiveContext) => describeEventTracker(ctx, ref.arn),
    id: (tracker: EventTrackerModel) => tracker.arn,
    trackingId: async (tracker: EventTrackerModel, _: unknown, ctx: NaiveContext) =>
      (await completeTracker(ctx, tracker)).trackingId,
    datasetGroupArn: async (tracker: EventTrackerModel, _: unknown, ctx: NaiveContext) =>
      tracker.datasetGroupArn ?? (await completeTracker(ctx, tracker)).datasetGroupArn,
    datasetGroup: async (tracker: EventTrackerModel, _: unknown, ctx: NaiveContext) => {
      const arn = tracker.datasetGroupArn ?? (await completeTracker(ctx, tracker)).datasetGroupArn;
      return arn ? describeDatasetGroup(ctx, arn) : null;
    },
  },
  DatasetGroup: {
    __resolveReference: (ref: { arn: string }, ctx: NaiveContext) => describeDatasetGroup(ctx, ref.arn),
    id: (group: DatasetGroupModel) => group.arn,
    eventTrackers: async (group: DatasetGroupModel, _: unknown, ctx: NaiveContext) => {
      const trackers: EventTrackerModel[] = [];
      let token: string | undefined;
      // Bounded: AWS caps a dataset group's trackers far below 100 pages.
      for (let page = 0; page < 100; page++) {
        const out = await personalize(ctx, group.region).send(
          new ListEventTrackersCommand({ datasetGroupArn: group.arn, nextToken: token, maxResults: 100 }),
        );
        trackers.push(...(out.eventTrackers ?? []).map((s) => toEventTrackerFromSummary(s, group.region, group.arn)));
        token = out.nextToken || undefined;
        if (!token) break;
      }
      return trackers;
    },
  },
  InternetEvent: {
    __resolveReference: (ref: { eventId?: string; arn?: string }, ctx: NaiveContext) =>
      ref.eventId !== undefined ? getInternetEvent(ctx, ref.eventId) : byArn(ctx, String(ref.arn)),
    id: (event: InternetEventModel) => event.arn,
  },
} as ResolverMap;
