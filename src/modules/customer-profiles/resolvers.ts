import { notFound } from '../../aws/errors.js';
import { hintFor, hintForPage } from '../../cache/hints.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { Config } from '../../config.js';
import type { GatewayContext } from '../../context.js';
import type { QueryEventStreamArgs, QueryEventStreamsArgs, Resolvers } from '../../generated/graphql.js';
import { checkCursor, listKey, paginate } from '../../pagination.js';
import { type SelectionTree, selectionOf } from '../../selection.js';
import { Rules, check, checkEventStreamArn, checkPageSize, checkRegion, regionArgument } from '../../validation.js';
import type { EventStreamKey, EventStreamModel } from './mappers.js';

const site = (region: string) => ({ service: 'profile' as const, operation: 'GetEventStream', region });

/** The complete stream behind a list summary, for the members summaries lack (CreatedAt, destination message). */
async function completeEventStream(ctx: GatewayContext, key: EventStreamKey): Promise<EventStreamModel> {
  const stream = await ctx.loaders.customerProfiles.eventStream.load(key);
  if (!stream) throw notFound(`Event stream ${key.domainName}/${key.name}`, site(key.region));
  return stream;
}

/** Whether the selection needs members only GetEventStream returns (list summaries lack them). */
export function eventStreamNeedsDetails(selection: SelectionTree): boolean {
  return 'createdAt' in selection || 'message' in (selection.destination ?? {});
}

/** The loader that answers `selection` with the fewest AWS calls. */
function eventStreamLoader(ctx: GatewayContext, selection: SelectionTree) {
  const loaders = ctx.loaders.customerProfiles;
  return eventStreamNeedsDetails(selection) ? loaders.eventStream : loaders.eventStreamSummary;
}

/** Event stream by ARN (node, entity references); null when the ARN names no stream we can see. */
export async function eventStreamByArn(ctx: GatewayContext, argument: string, arn: string, info?: GraphQLResolveInfo): Promise<EventStreamModel | null> {
  const parsed = checkEventStreamArn(argument, arn);
  checkRegion(argument, parsed.region, ctx.config.aws.allowedRegions);
  const loader = info ? eventStreamLoader(ctx, selectionOf(info, 'EventStream')) : ctx.loaders.customerProfiles.eventStream;
  const stream = await loader.load({ region: parsed.region, domainName: parsed.domainName, name: parsed.name });
  return stream && stream.arn === arn ? stream : null;
}

/** Root-field arguments, checked against AWS's constraints; also run for the whole operation before it executes. */
export const customerProfilesArguments = {
  eventStream(config: Config, args: QueryEventStreamArgs) {
    return {
      domainName: check('domainName', Rules.customerProfilesName, args.domainName),
      name: check('name', Rules.customerProfilesName, args.name),
      region: regionArgument(config.aws, 'region', args.region),
    };
  },
  eventStreams(config: Config, args: QueryEventStreamsArgs) {
    const domainName = check('domainName', Rules.customerProfilesName, args.domainName);
    const region = regionArgument(config.aws, 'region', args.region);
    const first = checkPageSize('first', args.first, config.defaultPageSize);
    const list = listKey('eventStreams', region, domainName);
    checkCursor('after', args.after, list, Rules.customerProfilesToken);
    return { domainName, region, first, list, after: args.after };
  },
};

export const customerProfilesResolvers: Resolvers = {
  Query: {
    eventStream: async (_parent, args, ctx, info) => {
      const { domainName, name, region } = customerProfilesArguments.eventStream(ctx.config, args);
      const stream = await eventStreamLoader(ctx, selectionOf(info, 'EventStream')).load({ region, domainName, name });
      if (!stream) throw notFound(`Event stream ${domainName}/${name}`, site(region));
      hintFor(ctx, info, [stream]);
      return stream;
    },
    eventStreams: async (_parent, args, ctx, info) => {
      const { domainName, region, first, list, after } = customerProfilesArguments.eventStreams(ctx.config, args);
      const connection = await paginate({
        list,
        first,
        after,
        tokenRule: Rules.customerProfilesToken,
        fetchPage: (token, maxResults) => ctx.loaders.customerProfiles.listEventStreamsPage(region, domainName, token, maxResults),
      });
      hintForPage(ctx, info, connection.nodes);
      return connection;
    },
  },
  EventStream: {
    __resolveReference: async (ref, ctx, info) => {
      const stream = await eventStreamByArn(ctx, 'arn', String((ref as { arn: string }).arn), info);
      hintFor(ctx, info, [stream]);
      return stream;
    },
    id: (stream) => stream.arn,
    // Synchronous when the model already has the member: a promise per field would cost every response.
    createdAt: (stream, _args, ctx) => stream.createdAt ?? completeEventStream(ctx, stream.key).then((s) => s.createdAt!),
    destination: (stream, _args, ctx) => stream.destination ?? completeEventStream(ctx, stream.key).then((s) => s.destination!),
  },
  EventStreamDestination: {
    message: (destination, _args, ctx) =>
      destination.complete ? destination.message : completeEventStream(ctx, destination.stream).then((s) => s.destination?.message ?? null),
  },
};
