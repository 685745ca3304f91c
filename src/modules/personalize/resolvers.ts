import { badUserInput, notFound } from '../../aws/errors.js';
import { hintFor, hintForPage } from '../../cache/hints.js';
import type { Config } from '../../config.js';
import type { GatewayContext } from '../../context.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { QueryDatasetGroupArgs, QueryEventTrackerArgs, QueryEventTrackersArgs, Resolvers } from '../../generated/graphql.js';
import { type SelectionTree, selectionOf } from '../../selection.js';
import { checkCursor, listKey, paginate } from '../../pagination.js';
import { Rules, checkPageSize, checkPersonalizeArn, checkRegion, regionArgument } from '../../validation.js';
import type { DatasetGroupModel, EventTrackerModel } from './mappers.js';

function trackerArgument(config: Config, argument: string, arn: string) {
  const parsed = checkPersonalizeArn(argument, arn, 'event-tracker');
  checkRegion(argument, parsed.region, config.aws.allowedRegions);
  return parsed;
}

function datasetGroupArgument(config: Config, argument: string, arn: string) {
  const parsed = checkPersonalizeArn(argument, arn, 'dataset-group');
  checkRegion(argument, parsed.region, config.aws.allowedRegions);
  return parsed;
}

/** Root-field arguments, checked against AWS's constraints; also run for the whole operation before it executes. */
export const personalizeArguments = {
  eventTracker: (config: Config, args: QueryEventTrackerArgs) => trackerArgument(config, 'arn', args.arn),
  datasetGroup: (config: Config, args: QueryDatasetGroupArgs) => datasetGroupArgument(config, 'arn', args.arn),
  eventTrackers(config: Config, args: QueryEventTrackersArgs) {
    let region: string;
    let datasetGroupArn: string | null = null;
    if (args.datasetGroupArn !== null && args.datasetGroupArn !== undefined) {
      datasetGroupArn = args.datasetGroupArn;
      region = datasetGroupArgument(config, 'datasetGroupArn', datasetGroupArn).region;
      if (args.region && regionArgument(config.aws, 'region', args.region) !== region) {
        throw badUserInput('region', 'must be omitted or equal the region of datasetGroupArn');
      }
    } else {
      region = regionArgument(config.aws, 'region', args.region);
    }
    const first = checkPageSize('first', args.first, config.defaultPageSize);
    const list = listKey('eventTrackers', region, datasetGroupArn);
    checkCursor('after', args.after, list, Rules.personalizeToken);
    return { region, datasetGroupArn, first, list, after: args.after };
  },
};

/** Whether the selection needs members only DescribeEventTracker returns (list summaries lack them). */
export function eventTrackerNeedsDetails(selection: SelectionTree): boolean {
  return 'trackingId' in selection || 'datasetGroupArn' in selection || 'datasetGroup' in selection;
}

/** The loader that answers `selection` with the fewest AWS calls. */
function eventTrackerLoader(ctx: GatewayContext, selection: SelectionTree) {
  const loaders = ctx.loaders.personalize;
  return eventTrackerNeedsDetails(selection) ? loaders.eventTracker : loaders.eventTrackerSummary;
}

export async function eventTrackerByArn(ctx: GatewayContext, argument: string, arn: string, info?: GraphQLResolveInfo): Promise<EventTrackerModel | null> {
  trackerArgument(ctx.config, argument, arn);
  const loader = info ? eventTrackerLoader(ctx, selectionOf(info, 'EventTracker')) : ctx.loaders.personalize.eventTracker;
  return loader.load(arn);
}

export async function datasetGroupByArn(ctx: GatewayContext, argument: string, arn: string): Promise<DatasetGroupModel | null> {
  datasetGroupArgument(ctx.config, argument, arn);
  return ctx.loaders.personalize.datasetGroup.load(arn);
}

/** The complete tracker behind a list summary, for trackingId and datasetGroupArn. */
async function completeEventTracker(ctx: GatewayContext, tracker: EventTrackerModel): Promise<EventTrackerModel> {
  if (tracker.complete) return tracker;
  const full = await ctx.loaders.personalize.eventTracker.load(tracker.arn);
  if (!full) throw notFound(`Event tracker ${tracker.arn}`, { service: 'personalize', operation: 'DescribeEventTracker', region: tracker.region });
  return full;
}

export const personalizeResolvers: Resolvers = {
  Query: {
    eventTracker: async (_parent, args, ctx, info) => {
      const parsed = personalizeArguments.eventTracker(ctx.config, args);
      const tracker = await eventTrackerLoader(ctx, selectionOf(info, 'EventTracker')).load(args.arn);
      if (!tracker) throw notFound(`Event tracker ${args.arn}`, { service: 'personalize', operation: 'DescribeEventTracker', region: parsed.region });
      hintFor(ctx, info, [tracker]);
      return tracker;
    },
    datasetGroup: async (_parent, args, ctx, info) => {
      const parsed = personalizeArguments.datasetGroup(ctx.config, args);
      const group = await ctx.loaders.personalize.datasetGroup.load(args.arn);
      if (!group) throw notFound(`Dataset group ${args.arn}`, { service: 'personalize', operation: 'DescribeDatasetGroup', region: parsed.region });
      hintFor(ctx, info, [group]);
      return group;
    },
    eventTrackers: async (_parent, args, ctx, info) => {
      const { region, datasetGroupArn, first, list, after } = personalizeArguments.eventTrackers(ctx.config, args);
      const connection = await paginate({
        list,
        first,
        after,
        tokenRule: Rules.personalizeToken,
        fetchPage: (token, maxResults) => ctx.loaders.personalize.listEventTrackersPage(region, datasetGroupArn, token, maxResults),
      });
      hintForPage(ctx, info, connection.nodes);
      return connection;
    },
  },
  EventTracker: {
    __resolveReference: async (ref, ctx, info) => {
      const tracker = await eventTrackerByArn(ctx, 'arn', String((ref as { arn: string }).arn), info);
      hintFor(ctx, info, [tracker]);
      return tracker;
    },
    id: (tracker) => tracker.arn,
    // Synchronous when the model already has the member: a promise per field would cost every response.
    trackingId: (tracker, _args, ctx) => (tracker.complete ? tracker.trackingId : completeEventTracker(ctx, tracker).then((t) => t.trackingId)),
    datasetGroupArn: (tracker, _args, ctx) => tracker.datasetGroupArn ?? completeEventTracker(ctx, tracker).then((t) => t.datasetGroupArn),
    datasetGroup: async (tracker, _args, ctx, info) => {
      const arn = tracker.datasetGroupArn ?? (await completeEventTracker(ctx, tracker)).datasetGroupArn;
      const group = arn ? await ctx.loaders.personalize.datasetGroup.load(arn) : null;
      if (group) hintFor(ctx, info, [group]);
      return group;
    },
  },
  DatasetGroup: {
    __resolveReference: async (ref, ctx, info) => {
      const group = await datasetGroupByArn(ctx, 'arn', String((ref as { arn: string }).arn));
      hintFor(ctx, info, [group]);
      return group;
    },
    id: (group) => group.arn,
    eventTrackers: async (group, _args, ctx, info) => {
      const trackers = await ctx.loaders.personalize.eventTrackersOfGroup.load(group.arn);
      hintForPage(ctx, info, trackers);
      return trackers;
    },
  },
};
