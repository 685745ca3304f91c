import type { InternetEventStatus, InternetEventType } from '../../generated/graphql.js';
import { toDate, toEnum } from '../../mappers.js';
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
  status: InternetEventStatus;
  clientLocation: ClientLocationModel;
}

export interface ClientLocationModel {
  asName: string;
  asNumber: number;
  country: string;
  subdivision: string | null;
  metro: string | null;
  city: string;
  latitude: number;
  longitude: number;
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
    type: toEnum(e.EventType, TYPES, 'PERFORMANCE'),
    // An event with an end time is over whatever the status string says; without one it is ongoing.
    status: toEnum(e.EventStatus, STATUSES, endedAt ? 'RESOLVED' : 'ACTIVE'),
    clientLocation: {
      asName: loc?.ASName ?? '',
      asNumber: Number(loc?.ASNumber ?? 0),
      country: loc?.Country ?? '',
      subdivision: loc?.Subdivision ?? null,
      metro: loc?.Metro ?? null,
      city: loc?.City ?? '',
      latitude: Number(loc?.Latitude ?? 0),
      longitude: Number(loc?.Longitude ?? 0),
    },
  };
}
