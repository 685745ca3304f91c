import { hintFor, hintForPage } from '../../cache/hints.js';
import { scopeOf } from '../../context.js';
import type { Resolvers } from '../../generated/graphql.js';
import { resolveNodeId } from '../../node-ids.js';
import { paginate } from '../../pagination.js';
import { reserveForPage } from '../../preflight/budget.js';
import { internetEventIdentity } from './arns.js';
import { internetEventLoaders } from './loaders.js';
import { internetEventIdForm, internetEventNodeForm, internetEventNotFound } from './lookups.js';
import type { InternetEventModel } from './mappers.js';
import { Rules, internetEventArguments } from './rules.js';

export const resolvers: Resolvers = {
  Query: {
    internetEvent: async (_parent, args, ctx, info) => {
      const { eventId } = internetEventArguments.internetEvent(ctx.config, args);
      const identity = internetEventIdentity(scopeOf(ctx), eventId);
      const event = await internetEventLoaders(ctx).internetEvent.load(identity);
      if (!event) throw internetEventNotFound(identity, ctx.config.aws.globalRegion);
      hintFor(ctx, info, [event]);
      return event;
    },
    internetEvents: async (_parent, args, ctx, info) => {
      const { filter, first, list, after } = internetEventArguments.internetEvents(ctx.config, args);
      const connection = await paginate({
        list,
        first,
        after,
        tokenRule: Rules.token,
        // Whole AWS pages: a page is sorted newest first, and the same token must always give the same order.
        fetchPage: (token) => internetEventLoaders(ctx).listInternetEventsPage(filter, token, 100),
      });
      reserveForPage(ctx, info, connection.nodes.length);
      hintForPage(ctx, info, connection.nodes);
      return connection;
    },
  },
  InternetEvent: {
    __resolveReference: (ref, ctx, info) => {
      const { eventId, arn } = ref as { eventId?: unknown; arn?: unknown };
      return eventId !== undefined
        ? resolveNodeId<InternetEventModel>(ctx, [internetEventIdForm], 'eventId', eventId, info)
        : resolveNodeId<InternetEventModel>(ctx, [internetEventNodeForm], 'arn', arn, info);
    },
    id: (event) => event.arn,
  },
};
