import type { InternetEventStatus, InternetEventType } from '../../generated/graphql.js';
import { toDate, toEnum, toNumber } from '../../mappers.js';
import type { ConnectionModel, EdgeModel } from '../../pagination.js';
import type { InternetEventSummary } from './commands.js';

/** GetInternetEvent and ListInternetEvents return the same members, so every model is complete. */
export interface InternetEventModel {
  kind: 'InternetEvent';
  eventId: string;
  arn: string;
  startedAt: Date | null;
  endedAt: Date | null;
  type: InternetEventType;
  /** The type as AWS sent it. */
  typeText: string;
  status: InternetEventStatus;
  /** The status as AWS sent it. */
  statusText: string;
  clientLocation: ClientLocationModel;
}

export interface ClientLocationModel {
  asName: string;
  asNumber: number | null;
  country: string;
  subdivision: string | null;
  metro: string | null;
  city: string;
  latitude: number | null;
  longitude: number | null;
}

export type InternetEventEdgeModel = EdgeModel<InternetEventModel>;
export type InternetEventConnectionModel = ConnectionModel<InternetEventModel>;

const TYPES: readonly InternetEventType[] = ['AVAILABILITY', 'PERFORMANCE'];
const STATUSES: readonly InternetEventStatus[] = ['ACTIVE', 'RESOLVED'];

export function toInternetEvent(e: InternetEventSummary): InternetEventModel {
  const loc = e.ClientLocation;
  const endedAt = toDate(e.EndedAt);
  return {
    kind: 'InternetEvent',
    eventId: e.EventId ?? '',
    arn: e.EventArn ?? '',
    startedAt: toDate(e.StartedAt),
    endedAt,
    // AWS enums are open: a value this schema does not list is UNKNOWN, never guessed as one it does.
    type: toEnum(e.EventType, TYPES, 'UNKNOWN'),
    typeText: e.EventType ?? '',
    status: toEnum(e.EventStatus, STATUSES, 'UNKNOWN'),
    statusText: e.EventStatus ?? '',
    clientLocation: {
      asName: loc?.ASName ?? '',
      asNumber: toNumber(loc?.ASNumber),
      country: loc?.Country ?? '',
      subdivision: loc?.Subdivision ?? null,
      metro: loc?.Metro ?? null,
      city: loc?.City ?? '',
      latitude: toNumber(loc?.Latitude),
      longitude: toNumber(loc?.Longitude),
    },
  };
}
