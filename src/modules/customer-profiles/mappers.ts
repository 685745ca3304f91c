import type {
  EventStreamSummary,
  GetEventStreamCommandOutput,
  ListDomainItem,
} from '@aws-sdk/client-customer-profiles';
import type { StreamDescriptionSummary } from '@aws-sdk/client-kinesis';
import type {
  DestinationStatus,
  EventStreamState,
  KinesisEncryptionType,
  KinesisStreamMode,
  KinesisStreamStatus,
  ResourceTag,
} from '../../generated/graphql.js';
import { toDate, toEnum, toNumber, toTags } from '../../mappers.js';
import type { ConnectionModel, EdgeModel } from '../../pagination.js';
import type { AccountScope, ResourceIdentity } from '../../resource/identity.js';
import { eventStreamIdentity, kinesisStreamName, parseEventStreamArn } from './arns.js';

/**
 * An event stream as resolvers see it. Built from GetEventStream (complete) or from a ListEventStreams summary,
 * which lacks CreatedAt and the destination message: `complete: false` tells resolvers to fetch the rest.
 */
export interface EventStreamModel {
  kind: 'EventStream';
  complete: boolean;
  identity: ResourceIdentity;
  arn: string;
  region: string;
  accountId: string;
  domainName: string;
  name: string;
  state: EventStreamState;
  /** The state as AWS sent it. */
  stateText: string;
  createdAt: Date | null;
  stoppedSince: Date | null;
  destination: EventStreamDestinationModel | null;
  tags: ResourceTag[];
}

export interface EventStreamDestinationModel {
  stream: ResourceIdentity;
  complete: boolean;
  uri: string;
  status: DestinationStatus;
  /** The status as AWS sent it. */
  statusText: string;
  unhealthySince: Date | null;
  message: string | null;
  kinesisStreamName: string | null;
}

/** A Customer Profiles domain from ListDomains, where it lives. */
export interface DomainModel {
  kind: 'Domain';
  arn: string;
  name: string;
  partition: string;
  accountId: string;
  region: string;
  createdAt: Date | null;
  lastUpdatedAt: Date | null;
  tags: ResourceTag[];
}

/** A Kinesis data stream from DescribeStreamSummary. */
export interface KinesisStreamModel {
  kind: 'KinesisStream';
  arn: string;
  name: string;
  accountId: string;
  region: string;
  status: KinesisStreamStatus;
  statusText: string;
  mode: KinesisStreamMode | null;
  openShardCount: number | null;
  retentionPeriodHours: number | null;
  encryptionType: KinesisEncryptionType | null;
  consumerCount: number | null;
  createdAt: Date | null;
}

export type DomainEdgeModel = EdgeModel<DomainModel>;
export type DomainConnectionModel = ConnectionModel<DomainModel>;
export type EventStreamEdgeModel = EdgeModel<EventStreamModel>;
export type EventStreamConnectionModel = ConnectionModel<EventStreamModel>;

const STATES: readonly EventStreamState[] = ['RUNNING', 'STOPPED'];
const DESTINATION_STATUSES: readonly DestinationStatus[] = ['HEALTHY', 'UNHEALTHY'];

function toDestination(
  stream: ResourceIdentity,
  complete: boolean,
  d: { Uri?: string; Status?: string; UnhealthySince?: Date; Message?: string } | undefined,
): EventStreamDestinationModel | null {
  if (!d?.Uri) return null;
  return {
    stream,
    complete,
    uri: d.Uri,
    // AWS enums are open: a value this schema does not list is UNKNOWN, never guessed as one it does.
    status: toEnum(d.Status, DESTINATION_STATUSES, 'UNKNOWN'),
    statusText: d.Status ?? '',
    unhealthySince: toDate(d.UnhealthySince),
    message: d.Message ?? null,
    kinesisStreamName: kinesisStreamName(d.Uri),
  };
}

/** GetEventStream output -> model. The output has no stream name: it comes from the request's identity. */
export function toEventStream(identity: ResourceIdentity, out: GetEventStreamCommandOutput): EventStreamModel {
  const arn = out.EventStreamArn ?? '';
  const names = { domainName: out.DomainName, ...parseEventStreamArn(arn) };
  const slash = identity.id.indexOf('/');
  return {
    kind: 'EventStream',
    complete: true,
    identity,
    arn,
    region: identity.region,
    accountId: identity.accountId,
    domainName: names.domainName ?? identity.id.slice(0, slash),
    name: identity.id.slice(slash + 1),
    state: toEnum(out.State, STATES, 'UNKNOWN'),
    stateText: out.State ?? '',
    createdAt: toDate(out.CreatedAt),
    stoppedSince: toDate(out.StoppedSince),
    destination: toDestination(identity, true, out.DestinationDetails),
    tags: toTags(out.Tags),
  };
}

/** ListEventStreams item -> partial model (no CreatedAt, no destination message). */
export function toEventStreamFromSummary(
  scope: AccountScope,
  region: string,
  summary: EventStreamSummary,
): EventStreamModel {
  const arn = summary.EventStreamArn ?? '';
  const parsed = parseEventStreamArn(arn);
  // The ARN says where the stream lives; the request's scope stands in when AWS leaves it out.
  const where = parsed ? { partition: parsed.partition, accountId: parsed.accountId } : scope;
  const identity = eventStreamIdentity(
    where,
    parsed?.region ?? region,
    summary.DomainName ?? '',
    summary.EventStreamName ?? '',
  );
  return {
    kind: 'EventStream',
    complete: false,
    identity,
    arn,
    region: identity.region,
    accountId: identity.accountId,
    domainName: summary.DomainName ?? '',
    name: summary.EventStreamName ?? '',
    state: toEnum(summary.State, STATES, 'UNKNOWN'),
    stateText: summary.State ?? '',
    createdAt: null,
    stoppedSince: toDate(summary.StoppedSince),
    destination: toDestination(identity, false, summary.DestinationSummary),
    tags: toTags(summary.Tags),
  };
}

export function toDomain(
  where: { partition: string; accountId: string; region: string },
  d: ListDomainItem,
): DomainModel {
  const name = d.DomainName ?? '';
  return {
    kind: 'Domain',
    arn: `arn:${where.partition}:profile:${where.region}:${where.accountId}:domains/${name}`,
    name,
    partition: where.partition,
    accountId: where.accountId,
    region: where.region,
    createdAt: toDate(d.CreatedAt),
    lastUpdatedAt: toDate(d.LastUpdatedAt),
    tags: toTags(d.Tags),
  };
}

const STREAM_STATUSES: readonly KinesisStreamStatus[] = ['CREATING', 'DELETING', 'ACTIVE', 'UPDATING'];
const STREAM_MODES: readonly KinesisStreamMode[] = ['PROVISIONED', 'ON_DEMAND'];
const ENCRYPTION_TYPES: readonly KinesisEncryptionType[] = ['NONE', 'KMS'];

/** DescribeStreamSummary output -> model; where it lives comes from the stream's ARN (the request's). */
export function toKinesisStream(
  where: { accountId: string; region: string; arn: string; name: string },
  s: StreamDescriptionSummary,
): KinesisStreamModel {
  const mode = s.StreamModeDetails?.StreamMode;
  return {
    kind: 'KinesisStream',
    arn: s.StreamARN ?? where.arn,
    name: s.StreamName ?? where.name,
    accountId: where.accountId,
    region: where.region,
    status: toEnum(s.StreamStatus, STREAM_STATUSES, 'UNKNOWN'),
    statusText: s.StreamStatus ?? '',
    mode: mode ? toEnum(mode, STREAM_MODES, 'UNKNOWN') : null,
    openShardCount: toNumber(s.OpenShardCount),
    retentionPeriodHours: toNumber(s.RetentionPeriodHours),
    encryptionType: s.EncryptionType ? toEnum(s.EncryptionType, ENCRYPTION_TYPES, 'UNKNOWN') : null,
    consumerCount: toNumber(s.ConsumerCount),
    createdAt: toDate(s.StreamCreationTimestamp),
  };
}
