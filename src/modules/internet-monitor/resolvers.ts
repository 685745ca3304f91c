import { internetEventIdFromArn } from '../../aws/arn.js';
import { badUserInput, notFound } from '../../aws/errors.js';
import { hintFor, hintForPage } from '../../cache/hints.js';
import type { GatewayContext } from '../../context.js';
import type { Config } from '../../config.js';
import type { QueryInternetEventArgs, QueryInternetEventsArgs, Resolvers } from '../../generated/graphql.js';
import { checkCursor, listKey, paginate } from '../../pagination.js';
import { Rules, check, checkPageSize } from '../../validation.js';
import type { InternetEventFilter } from './loaders.js';
import type { InternetEventModel } from './mappers.js';

export async function internetEventById(ctx: GatewayContext, argument: string, eventId: string): Promise<InternetEventModel | null> {
  return ctx.loaders.internetMonitor.internetEvent.load(check(argument, Rules.internetEventId, eventId));
}

/** Internet event ARNs are opaque: we look the event up by the id the ARN ends with and confirm the ARN matches. */
export async function internetEventByArn(ctx: GatewayContext, argument: string, arn: string): Promise<InternetEventModel | null> {
  const eventId = internetEventIdFromArn(arn);
  if (!eventId) throw badUserInput(argument, 'must be an internet event ARN (arn:<partition>:internetmonitor:...)');
  const event = await ctx.loaders.internetMonitor.internetEvent.load(eventId);
  return event && event.arn === arn ? event : null;
}

function checkDate(argument: string, value: Date | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badUserInput(argument, 'must be an ISO-8601 date-time');
  return value;
}

/** Root-field arguments, checked against AWS's constraints; also run for the whole operation before it executes. */
export const internetMonitorArguments = {
  internetEvent: (_config: Config, args: QueryInternetEventArgs) => ({ eventId: check('eventId', Rules.internetEventId, args.eventId) }),
  internetEvents(config: Config, args: QueryInternetEventsArgs) {
    const filter: InternetEventFilter = {
      startTime: checkDate('startTime', args.startTime),
      endTime: checkDate('endTime', args.endTime),
      status: args.status ?? undefined,
      type: args.type ?? undefined,
    };
    if (filter.startTime && filter.endTime && filter.startTime > filter.endTime) {
      throw badUserInput('startTime', 'must not be after endTime');
    }
    const first = checkPageSize('first', args.first, config.defaultPageSize);
    const list = listKey('internetEvents', filter.startTime?.toISOString(), filter.endTime?.toISOString(), filter.status, filter.type);
    checkCursor('after', args.after, list, Rules.internetMonitorToken);
    return { filter, first, list, after: args.after };
  },
};

export const internetMonitorResolvers: Resolvers = {
  Query: {
    internetEvent: async (_parent, args, ctx, info) => {
      const { eventId } = internetMonitorArguments.internetEvent(ctx.config, args);
      const event = await internetEventById(ctx, 'eventId', eventId);
      if (!event) {
        throw notFound(`Internet event ${args.eventId}`, {
          service: 'internetmonitor',
          operation: 'GetInternetEvent',
          region: ctx.config.aws.internetMonitorRegion,
        });
      }
      hintFor(ctx, info, [event]);
      return event;
    },
    internetEvents: async (_parent, args, ctx, info) => {
      const { filter, first, list, after } = internetMonitorArguments.internetEvents(ctx.config, args);
      const connection = await paginate({
        list,
        first,
        after,
        tokenRule: Rules.internetMonitorToken,
        fetchPage: (token, maxResults) => ctx.loaders.internetMonitor.listInternetEventsPage(filter, token, maxResults),
      });
      hintForPage(ctx, info, connection.nodes);
      return connection;
    },
  },
  InternetEvent: {
    __resolveReference: async (ref, ctx, info) => {
      const { eventId, arn } = ref as { eventId?: string; arn?: string };
      const event = eventId !== undefined ? await internetEventById(ctx, 'eventId', String(eventId)) : await internetEventByArn(ctx, 'arn', String(arn));
      hintFor(ctx, info, [event]);
      return event;
    },
    id: (event) => event.arn,
  },
};
