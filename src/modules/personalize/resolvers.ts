import { hintFor, hintForPage } from '../../cache/hints.js';
import type { Resolvers } from '../../generated/graphql.js';
import { resolveNodeId } from '../../node-ids.js';
import { paginate } from '../../pagination.js';
import { reserveForPage } from '../../preflight/budget.js';
import { identityOf, parsePersonalizeArn } from './arns.js';
import { personalizeLoaders } from './loaders.js';
import {
  completeEventTracker,
  datasetGroupNodeForm,
  eventTrackerLoader,
  eventTrackerNodeForm,
  personalizeNotFound,
} from './lookups.js';
import type { DatasetGroupModel, EventTrackerModel } from './mappers.js';
import { eventTrackerMutations } from './mutations.js';
import { Rules, personalizeArguments } from './rules.js';

export const resolvers: Resolvers = {
  Query: {
    eventTracker: async (_parent, args, ctx, info) => {
      const identity = identityOf(personalizeArguments.eventTracker(ctx.config, args));
      const tracker = await eventTrackerLoader(ctx, info).load(identity);
      if (!tracker) throw personalizeNotFound(identity);
      hintFor(ctx, info, [tracker]);
      return tracker;
    },
    datasetGroup: async (_parent, args, ctx, info) => {
      const identity = identityOf(personalizeArguments.datasetGroup(ctx.config, args));
      const group = await personalizeLoaders(ctx).datasetGroup.load(identity);
      if (!group) throw personalizeNotFound(identity);
      hintFor(ctx, info, [group]);
      return group;
    },
    eventTrackers: async (_parent, args, ctx, info) => {
      const { region, datasetGroupArn, first, list, after } = personalizeArguments.eventTrackers(ctx.config, args);
      const connection = await paginate({
        list,
        first,
        after,
        tokenRule: Rules.token,
        fetchPage: (token, maxResults) =>
          personalizeLoaders(ctx).listTrackers(region, datasetGroupArn, token, maxResults),
      });
      reserveForPage(ctx, info, connection.nodes.length);
      hintForPage(ctx, info, connection.nodes);
      return connection;
    },
  },
  Mutation: {
    createEventTracker: (_parent, args, ctx) => eventTrackerMutations.createEventTracker(ctx, args),
    deleteEventTracker: (_parent, args, ctx) => eventTrackerMutations.deleteEventTracker(ctx, args),
  },
  // The tracker after the create, read only when selected.
  CreateEventTrackerPayload: {
    eventTracker: (payload, _args, ctx, info) => eventTrackerLoader(ctx, info).load(payload.identity),
  },
  EventTracker: {
    __resolveReference: (ref, ctx, info) =>
      resolveNodeId<EventTrackerModel>(ctx, [eventTrackerNodeForm], 'arn', ref.arn, info),
    id: (tracker) => tracker.arn,
    // Synchronous when the model already has the member: a promise per field would cost every response.
    trackingId: (tracker, _args, ctx) =>
      tracker.complete ? tracker.trackingId : completeEventTracker(ctx, tracker).then((t) => t.trackingId),
    datasetGroupArn: (tracker, _args, ctx) =>
      tracker.datasetGroupArn ?? completeEventTracker(ctx, tracker).then((t) => t.datasetGroupArn),
    datasetGroup: async (tracker, _args, ctx, info) => {
      const arn = tracker.datasetGroupArn ?? (await completeEventTracker(ctx, tracker)).datasetGroupArn;
      const parsed = arn ? parsePersonalizeArn(arn, 'dataset-group') : null;
      const group = parsed ? await personalizeLoaders(ctx).datasetGroup.load(identityOf(parsed)) : null;
      if (group) hintFor(ctx, info, [group]);
      return group;
    },
  },
  DatasetGroup: {
    __resolveReference: (ref, ctx, info) =>
      resolveNodeId<DatasetGroupModel>(ctx, [datasetGroupNodeForm], 'arn', ref.arn, info),
    id: (group) => group.arn,
    eventTrackers: async (group, _args, ctx, info) => {
      const parsed = parsePersonalizeArn(group.arn, 'dataset-group');
      const trackers = parsed ? await personalizeLoaders(ctx).eventTrackersOfGroup.load(identityOf(parsed)) : [];
      hintForPage(ctx, info, trackers);
      return trackers;
    },
  },
};
