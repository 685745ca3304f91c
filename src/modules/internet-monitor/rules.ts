import { badUserInput } from '../../errors.js';
import type { Config } from '../../config.js';
import type { QueryInternetEventArgs, QueryInternetEventsArgs } from '../../generated/graphql.js';
import { checkCursor, listKey } from '../../pagination.js';
import { check, checkPageSize, textRule } from '../../validation.js';
import type { InternetEventFilter } from './loaders.js';

/** AWS's input constraints of Internet Monitor (aws-apis.md §3). */
export const Rules = {
  /** `EventId`. */
  eventId: textRule(1, 255, /^[a-zA-Z0-9-]+$/),
  /** Tokens have no modelled limit; they are capped so a cursor cannot carry a megabyte. */
  token: textRule(1, 4096),
};

function checkDate(argument: string, value: Date | null | undefined): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw badUserInput(argument, 'must be an ISO-8601 date-time');
  return value;
}

/** A filter value AWS accepts: UNKNOWN stands for values AWS sends that the schema does not list, and filters none. */
function checkFilter<T extends string>(argument: string, value: T | null | undefined, known: string): T | undefined {
  if (value === null || value === undefined) return undefined;
  if (value === 'UNKNOWN') throw badUserInput(argument, `must be ${known}: UNKNOWN is an answer, not a filter`);
  return value;
}

/** Root-field arguments, checked against AWS's constraints; the preflight runs them for the whole operation. */
export const internetEventArguments = {
  internetEvent: (_config: Config, args: QueryInternetEventArgs) => ({
    eventId: check('eventId', Rules.eventId, args.eventId),
  }),
  internetEvents(config: Config, args: QueryInternetEventsArgs) {
    const filter: InternetEventFilter = {
      startTime: checkDate('startTime', args.startTime),
      endTime: checkDate('endTime', args.endTime),
      status: checkFilter('status', args.status, 'ACTIVE or RESOLVED'),
      type: checkFilter('type', args.type, 'AVAILABILITY or PERFORMANCE'),
    };
    if (filter.startTime && filter.endTime && filter.startTime > filter.endTime) {
      throw badUserInput('startTime', 'must not be after endTime');
    }
    const first = checkPageSize('first', args.first, config.defaultPageSize);
    const list = listKey(
      'internetEvents',
      filter.startTime?.toISOString(),
      filter.endTime?.toISOString(),
      filter.status,
      filter.type,
    );
    checkCursor('after', args.after, list, Rules.token);
    return { filter, first, list, after: args.after };
  },
};
