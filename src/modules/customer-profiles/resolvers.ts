import type { GraphQLResolveInfo } from 'graphql';
import { hintFor, hintForPage } from '../../cache/hints.js';
import { type GatewayContext, scopeOf } from '../../context.js';
import type { Resolvers } from '../../generated/graphql.js';
import { paginate } from '../../pagination.js';
import { reserveForPage } from '../../preflight/budget.js';
import { resolveNodeId } from '../../node-ids.js';
import { eventStreamIdentity } from './arns.js';
import { eventStreamLoaders } from './loaders.js';
import { completeEventStream, eventStreamLoader, eventStreamNodeForm, eventStreamNotFound } from './lookups.js';
import type { EventStreamModel } from './mappers.js';
import { eventStreamMutations } from './mutations.js';
import { Rules, eventStreamArguments } from './rules.js';

/** One stream by domain and name, in the request's account: NOT_FOUND when AWS has none. */
async function lookupEventStream(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  { domainName, name, region }: { domainName: string; name: string; region: string },
): Promise<EventStreamModel> {
  const identity = eventStreamIdentity(scopeOf(ctx), region, domainName, name);
  const stream = await eventStreamLoader(ctx, info).load(identity);
  if (!stream) throw eventStreamNotFound(identity);
  hintFor(ctx, info, [stream]);
  return stream;
}

export const resolvers: Resolvers = {
  Query: {
    eventStream: (_parent, args, ctx, info) =>
      lookupEventStream(ctx, info, eventStreamArguments.eventStream(ctx.config, args)),
    eventStreamByIdentifier: (_parent, args, ctx, info) =>
      lookupEventStream(ctx, info, eventStreamArguments.eventStreamByIdentifier(ctx.config, args)),
    eventStreams: async (_parent, args, ctx, info) => {
      const { domainName, region, first, list, after } = eventStreamArguments.eventStreams(ctx.config, args);
      const connection = await paginate({
        list,
        first,
        after,
        tokenRule: Rules.token,
        fetchPage: (token, maxResults) =>
          eventStreamLoaders(ctx).listEventStreamsPage(region, domainName, token, maxResults),
      });
      reserveForPage(ctx, info, connection.nodes.length);
      hintForPage(ctx, info, connection.nodes);
      return connection;
    },
  },
  Mutation: {
    createEventStream: (_parent, args, ctx) => eventStreamMutations.createEventStream(ctx, args),
    updateEventStream: (_parent, args, ctx) => eventStreamMutations.updateEventStream(ctx, args),
    deleteEventStream: (_parent, args, ctx) => eventStreamMutations.deleteEventStream(ctx, args),
  },
  // The stream after the write, read only when selected (the update's is known already: no AWS call).
  CreateEventStreamPayload: {
    eventStream: (payload, _args, ctx, info) => eventStreamLoader(ctx, info).load(payload.identity),
  },
  UpdateEventStreamPayload: {
    eventStream: (payload, _args, ctx, info) => eventStreamLoader(ctx, info).load(payload.identity),
  },
  EventStream: {
    __resolveReference: (ref, ctx, info) =>
      resolveNodeId<EventStreamModel>(ctx, [eventStreamNodeForm], 'arn', ref.arn, info),
    id: (stream) => stream.arn,
    // Synchronous when the model already has the member: a promise per field would cost every response.
    // GetEventStream marks CreatedAt and DestinationDetails required, so a complete stream has both.
    createdAt: (stream, _args, ctx) =>
      stream.createdAt ?? completeEventStream(ctx, stream.identity).then((s) => s.createdAt as Date),
    destination: (stream, _args, ctx) =>
      stream.destination ??
      completeEventStream(ctx, stream.identity).then((s) => s.destination as NonNullable<typeof s.destination>),
  },
  EventStreamDestination: {
    message: (destination, _args, ctx) =>
      destination.complete
        ? destination.message
        : completeEventStream(ctx, destination.stream).then((s) => s.destination?.message ?? null),
  },
};
