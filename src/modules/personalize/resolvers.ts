import { hintFor, hintForPage } from '../../cache/hints.js';
import type { Resolvers } from '../../generated/graphql.js';
import { resolveNodeId } from '../../node-ids.js';
import { listKey, paginateScopes } from '../../pagination.js';
import { type GatewayContext, ownAccount } from '../../context.js';
import { type Scope, ScopeFailures, scopeKey } from '../../estate.js';
import { reportPartialError } from '../../partial-errors.js';
import { scopedConnection } from '../../estate-connection.js';
import { SERVICE, identityOf, parsePersonalizeArn } from './arns.js';
import { personalizeLoaders, personalizePlans } from './loaders.js';
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

/** The described dataset group behind a list summary. */
async function describedGroup(ctx: GatewayContext, group: DatasetGroupModel): Promise<DatasetGroupModel> {
  const parsed = parsePersonalizeArn(group.arn, 'dataset-group');
  const described = parsed ? await personalizeLoaders(ctx).datasetGroup.load(identityOf(parsed)) : null;
  return described ?? group;
}

export const resolvers: Resolvers = {
  Query: {
    eventTracker: async (_parent, args, ctx, info) => {
      const identity = identityOf(personalizeArguments.eventTracker(ctx.config, args, ownAccount(ctx)));
      const tracker = await eventTrackerLoader(ctx, info).load(identity);
      if (!tracker) throw personalizeNotFound(identity);
      hintFor(ctx, info, [tracker]);
      return tracker;
    },
    datasetGroup: async (_parent, args, ctx, info) => {
      const identity = identityOf(personalizeArguments.datasetGroup(ctx.config, args, ownAccount(ctx)));
      const group = await personalizeLoaders(ctx).datasetGroup.load(identity);
      if (!group) throw personalizeNotFound(identity);
      hintFor(ctx, info, [group]);
      return group;
    },
    eventTrackers: (_parent, args, ctx, info) => {
      const checked = personalizeArguments.eventTrackers(ctx.config, args, ownAccount(ctx));
      const { status } = checked;
      return scopedConnection(ctx, info, { service: SERVICE, operation: 'ListEventTrackers' }, checked, {
        tokenRule: Rules.token,
        fetchPage: (scope, token, maxResults) =>
          personalizeLoaders(ctx).listTrackers(scope, checked.datasetGroupArn, token, maxResults),
        ...(status ? { filter: (tracker: EventTrackerModel) => tracker.status === status } : {}),
      });
    },
    datasetGroups: (_parent, args, ctx, info) => {
      const checked = personalizeArguments.datasetGroups(ctx.config, args, ownAccount(ctx));
      const { status } = checked;
      return scopedConnection(ctx, info, { service: SERVICE, operation: 'ListDatasetGroups' }, checked, {
        tokenRule: Rules.token,
        fetchPage: (scope, token, maxResults) =>
          personalizeLoaders(ctx).listDatasetGroupsPage(scope, token, maxResults),
        ...(status ? { filter: (group: DatasetGroupModel) => group.status === status } : {}),
      });
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
    // Synchronous for a described group; a list summary lacks these two, and one Describe answers both.
    roleArn: (group, _args, ctx) =>
      group.complete ? group.roleArn : describedGroup(ctx, group).then((g) => g.roleArn),
    kmsKeyArn: (group, _args, ctx) =>
      group.complete ? group.kmsKeyArn : describedGroup(ctx, group).then((g) => g.kmsKeyArn),
    eventTrackers: async (group, args, ctx, info) => {
      const { first, status } = personalizeArguments.datasetGroupEventTrackers(ctx.config, args);
      const parsed = parsePersonalizeArn(group.arn, 'dataset-group');
      if (!parsed) return null;
      const scope: Scope = { partition: parsed.partition, accountId: parsed.accountId, region: parsed.region };
      const failures = new ScopeFailures<Scope>({ service: SERVICE, operation: 'ListEventTrackers' }, new Set());
      const connection = await paginateScopes({
        list: listKey('datasetGroupEventTrackers', group.arn, status),
        first,
        after: args.after,
        tokenRule: Rules.token,
        scopes: [scope],
        keyOf: (s) => scopeKey(s),
        // AWS allows one tracker per dataset group: one page holds them all.
        maxPagesPerScope: personalizePlans.trackersOfGroup,
        fetchPage: (s, token, maxResults) => personalizeLoaders(ctx).listTrackers(s, group.arn, token, maxResults),
        ...(status ? { filter: (tracker: EventTrackerModel) => tracker.status === status } : {}),
        onError: failures.add,
      });
      failures.settle(1, (error) => reportPartialError(ctx, info, error));
      hintForPage(ctx, info, connection.nodes);
      return connection;
    },
  },
};
