import { hintFor, hintForPage } from '../../cache/hints.js';
import { scopeOf } from '../../context.js';
import type { Resolvers } from '../../generated/graphql.js';
import { paginate } from '../../pagination.js';
import { reserveForPage } from '../../preflight/budget.js';
import { resolveNodeId } from '../../node-ids.js';
import { eventStreamIdentity } from './arns.js';
import { eventStreamLoaders } from './loaders.js';
import { completeEventStream, eventStreamLoader, eventStreamNodeForm, eventStreamNotFound } from './lookups.js';
import type { EventStreamModel } from './mappers.js';
import { Rules, eventStreamArguments } from './rules.js';

export const resolvers: Resolvers = {
  Query: {
    eventStream: async (_parent, args, ctx, info) => {
      const { domainName, name, region } = eventStreamArguments.eventStream(ctx.config, args);
      const identity = eventStreamIdentity(scopeOf(ctx), region, domainName, name);
      const stream = await eventStreamLoader(ctx, info).load(identity);
      if (!stream) throw eventStreamNotFound(identity);
      hintFor(ctx, info, [stream]);
      return stream;
    },
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
