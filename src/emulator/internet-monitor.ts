import { serviceError } from './aws-errors.js';
import type { OperationDefinition, OperationRequest } from './operation.js';
import { InvalidPageTokenError, paginate } from './pagination.js';
import type { EmulatorStore, InternetEventRecord } from './store.js';
import { InputValidator } from './validation.js';
import { parseRfc3339, toRfc3339 } from './wire-time.js';

/**
 * CloudWatch Internet Monitor (restJson1, signing name `internetmonitor`): internet events.
 * Internet events are global (the Internet Weather Map), so every region serves the same list.
 */

const EVENT_STATUSES = ['ACTIVE', 'RESOLVED'] as const;
const EVENT_TYPES = ['AVAILABILITY', 'PERFORMANCE'] as const;

/** GetInternetEvent output and InternetEventSummary have the same members; timestamps are RFC 3339. */
export function toInternetEvent(event: InternetEventRecord): object {
  return {
    EventId: event.EventId,
    EventArn: event.EventArn,
    StartedAt: toRfc3339(event.StartedAt),
    EndedAt: event.EndedAt === undefined ? undefined : toRfc3339(event.EndedAt),
    ClientLocation: event.ClientLocation,
    EventType: event.EventType,
    EventStatus: event.EventStatus,
  };
}

export const getInternetEvent: OperationDefinition = {
  service: 'internetmonitor',
  name: 'GetInternetEvent',
  http: { method: 'GET', path: '/v20210603/InternetEvents/{EventId}' },
  handle({ pathParams }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('internetmonitor');
    const eventId = input.string('eventId', pathParams.EventId, {
      required: true,
      min: 1,
      max: 255,
      pattern: /^[a-zA-Z0-9-]+$/,
    })!;
    input.throwIfInvalid();
    const event = store.internetEventsById.get(eventId);
    // See services.ts: the model has no not-found error, the emulator answers 404 ResourceNotFoundException.
    if (!event) throw serviceError('internetmonitor', 'notFound', `Internet event ${eventId} not found.`);
    return toInternetEvent(event);
  },
};

function timestamp(input: InputValidator, member: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = parseRfc3339(value);
  if (!parsed) input.fail(member, value, 'Member must be an RFC 3339 date-time');
  return parsed;
}

export const listInternetEvents: OperationDefinition = {
  service: 'internetmonitor',
  name: 'ListInternetEvents',
  http: { method: 'GET', path: '/v20210603/InternetEvents' },
  handle({ query, now }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('internetmonitor');
    const nextToken = input.string('nextToken', query.NextToken, {});
    const maxResults = input.integer('maxResults', query.InternetEventMaxResults, { min: 1, max: 100 });
    const startTime = timestamp(input, 'startTime', query.StartTime);
    const endTime = timestamp(input, 'endTime', query.EndTime);
    // Plain strings in the model, but the documentation allows only these values.
    const eventStatus = input.string('eventStatus', query.EventStatus, { oneOf: EVENT_STATUSES });
    const eventType = input.string('eventType', query.EventType, { oneOf: EVENT_TYPES });
    if (startTime && endTime && startTime > endTime)
      input.fail('startTime', query.StartTime, 'Member must not be after endTime');
    input.throwIfInvalid();

    // Both bounds refer to when an event started; EndTime defaults to now.
    const until = endTime ?? now;
    const matching = store.internetEvents.filter(
      (e) =>
        (startTime === undefined || e.StartedAt >= startTime) &&
        e.StartedAt <= until &&
        (eventStatus === undefined || e.EventStatus === eventStatus) &&
        (eventType === undefined || e.EventType === eventType),
    );
    // Scoped by the query as sent (not by `now`, which moves between pages) and not by region:
    // the events are global, so a token works in any region.
    const scope = ['internetmonitor:ListInternetEvents', query.StartTime, query.EndTime, eventStatus, eventType].join(
      ':',
    );
    try {
      const page = paginate(matching, { scope, nextToken, maxResults });
      return { InternetEvents: page.items.map(toInternetEvent), NextToken: page.nextToken };
    } catch (error) {
      if (error instanceof InvalidPageTokenError)
        throw serviceError('internetmonitor', 'invalidNextToken', 'The NextToken is invalid.');
      throw error;
    }
  },
};

export const internetMonitorOperations: readonly OperationDefinition[] = [getInternetEvent, listInternetEvents];
