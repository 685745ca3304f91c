import type { EventStreamSummary, GetEventStreamCommandOutput } from '@aws-sdk/client-customer-profiles';
import { kinesisStreamName, parseEventStreamArn } from '../../aws/arn.js';
import type { DestinationStatus, EventStreamState, Tag } from '../../generated/graphql.js';
import { toDate, toEnum, toTags } from '../../mappers.js';
import type { ConnectionModel, EdgeModel } from '../../pagination.js';

export interface EventStreamKey {
  region: string;
  domainName: string;
  name: string;
}

export function eventStreamKeyId(key: EventStreamKey): string {
  return `${key.region}/${key.domainName}/${key.name}`;
}

/**
 * An event stream as resolvers see it. Built from GetEventStream (complete) or from a ListEventStreams summary,
 * which lacks CreatedAt and the destination message: `complete: false` tells resolvers to fetch the rest.
 */
export interface EventStreamModel {
  kind: 'EventStream';
  complete: boolean;
  key: EventStreamKey;
  arn: string;
  region: string;
  domainName: string;
  name: string;
  state: EventStreamState;
  createdAt: Date | null;
  stoppedSince: Date | null;
  destination: EventStreamDestinationModel | null;
  tags: Tag[];
}

export interface EventStreamDestinationModel {
  stream: EventStreamKey;
  complete: boolean;
  uri: string;
  status: DestinationStatus;
  unhealthySince: Date | null;
  message: string | null;
  kinesisStreamName: string | null;
}

export type EventStreamEdgeModel = EdgeModel<EventStreamModel>;
export type EventStreamConnectionModel = ConnectionModel<EventStreamModel>;

const STATES: readonly EventStreamState[] = ['RUNNING', 'STOPPED'];
const DESTINATION_STATUSES: readonly DestinationStatus[] = ['HEALTHY', 'UNHEALTHY'];

function toDestination(
  stream: EventStreamKey,
  complete: boolean,
  d: { Uri?: string; Status?: string; UnhealthySince?: Date; Message?: string } | undefined,
): EventStreamDestinationModel | null {
  if (!d?.Uri) return null;
  return {
    stream,
    complete,
    uri: d.Uri,
    // AWS marks both members required; an unexpected value is reported as unhealthy, the safer reading.
    status: toEnum(d.Status, DESTINATION_STATUSES, 'UNHEALTHY'),
    unhealthySince: toDate(d.UnhealthySince),
    message: d.Message ?? null,
    kinesisStreamName: kinesisStreamName(d.Uri),
  };
}

/** GetEventStream output -> model. The output has no stream name: it comes from the request key. */
export function toEventStream(key: EventStreamKey, out: GetEventStreamCommandOutput): EventStreamModel {
  const arn = out.EventStreamArn ?? '';
  const region = parseEventStreamArn(arn)?.region ?? key.region;
  return {
    kind: 'EventStream',
    complete: true,
    key,
    arn,
    region,
    domainName: out.DomainName ?? key.domainName,
    name: key.name,
    state: toEnum(out.State, STATES, 'STOPPED'),
    createdAt: toDate(out.CreatedAt),
    stoppedSince: toDate(out.StoppedSince),
    destination: toDestination(key, true, out.DestinationDetails),
    tags: toTags(out.Tags),
  };
}

/** ListEventStreams item -> partial model (no CreatedAt, no destination message). */
export function toEventStreamFromSummary(region: string, summary: EventStreamSummary): EventStreamModel {
  const arn = summary.EventStreamArn ?? '';
  const key: EventStreamKey = {
    region: parseEventStreamArn(arn)?.region ?? region,
    domainName: summary.DomainName ?? '',
    name: summary.EventStreamName ?? '',
  };
  return {
    kind: 'EventStream',
    complete: false,
    key,
    arn,
    region: key.region,
    domainName: key.domainName,
    name: key.name,
    state: toEnum(summary.State, STATES, 'STOPPED'),
    createdAt: null,
    stoppedSince: toDate(summary.StoppedSince),
    destination: toDestination(key, false, summary.DestinationSummary),
    tags: toTags(summary.Tags),
  };
}
