import type { DatasetGroup, DatasetGroupSummary, EventTracker, EventTrackerSummary } from '@aws-sdk/client-personalize';
import { parsePersonalizeArn } from './arns.js';
import type { DatasetGroupDomain, DatasetGroupStatus, EventTrackerStatus } from '../../generated/graphql.js';
import { toDate, toEnum } from '../../mappers.js';
import type { ConnectionModel, EdgeModel } from '../../pagination.js';

/**
 * An event tracker as resolvers see it. DescribeEventTracker gives everything; a ListEventTrackers summary lacks
 * trackingId, accountId and datasetGroupArn (`complete: false`; accountId still comes from the ARN).
 */
export interface EventTrackerModel {
  kind: 'EventTracker';
  complete: boolean;
  arn: string;
  region: string;
  accountId: string;
  name: string;
  trackingId: string | null;
  status: EventTrackerStatus;
  statusText: string;
  datasetGroupArn: string | null;
  createdAt: Date | null;
  lastUpdatedAt: Date | null;
}

export interface DatasetGroupModel {
  kind: 'DatasetGroup';
  /** From DescribeDatasetGroup; a ListDatasetGroups summary lacks roleArn and kmsKeyArn. */
  complete: boolean;
  arn: string;
  region: string;
  accountId: string;
  name: string;
  status: DatasetGroupStatus;
  /** The status as AWS sent it. */
  statusText: string;
  failureReason: string | null;
  roleArn: string | null;
  kmsKeyArn: string | null;
  /** Null for a custom dataset group (AWS sends no domain). */
  domain: DatasetGroupDomain | null;
  domainText: string | null;
  createdAt: Date | null;
  lastUpdatedAt: Date | null;
}

export type EventTrackerEdgeModel = EdgeModel<EventTrackerModel>;
export type EventTrackerConnectionModel = ConnectionModel<EventTrackerModel>;
export type DatasetGroupEdgeModel = EdgeModel<DatasetGroupModel>;
export type DatasetGroupConnectionModel = ConnectionModel<DatasetGroupModel>;

const KNOWN_STATUSES: readonly EventTrackerStatus[] = [
  'CREATE_PENDING',
  'CREATE_IN_PROGRESS',
  'ACTIVE',
  'CREATE_FAILED',
  'DELETE_PENDING',
  'DELETE_IN_PROGRESS',
];

/**
 * Personalize sends free-form status strings such as `CREATE IN_PROGRESS` (a space after the verb, an underscore
 * inside IN_PROGRESS). Normalising every run of spaces to `_` maps all documented values; anything else is UNKNOWN.
 */
function toStatus<T extends string>(raw: string | undefined | null, known: readonly T[]): T | 'UNKNOWN' {
  return toEnum(raw?.trim().toUpperCase().replace(/\s+/g, '_'), known, 'UNKNOWN');
}

export function toEventTrackerStatus(raw: string | undefined | null): EventTrackerStatus {
  return toStatus(raw, KNOWN_STATUSES);
}

/** The dataset group statuses AWS documents (DatasetGroup.status): no DELETE IN_PROGRESS, unlike trackers. */
const KNOWN_DATASET_GROUP_STATUSES: readonly DatasetGroupStatus[] = [
  'CREATE_PENDING',
  'CREATE_IN_PROGRESS',
  'ACTIVE',
  'CREATE_FAILED',
  'DELETE_PENDING',
];

export function toDatasetGroupStatus(raw: string | undefined | null): DatasetGroupStatus {
  return toStatus(raw, KNOWN_DATASET_GROUP_STATUSES);
}

const DOMAINS: readonly DatasetGroupDomain[] = ['ECOMMERCE', 'VIDEO_ON_DEMAND'];

function arnParts(arn: string, fallbackRegion: string) {
  const parsed = parsePersonalizeArn(arn);
  return { region: parsed?.region ?? fallbackRegion, accountId: parsed?.accountId ?? '', name: parsed?.name ?? '' };
}

export function toEventTracker(arn: string, t: EventTracker, fallbackRegion: string): EventTrackerModel {
  const parts = arnParts(t.eventTrackerArn ?? arn, fallbackRegion);
  return {
    kind: 'EventTracker',
    complete: true,
    arn: t.eventTrackerArn ?? arn,
    region: parts.region,
    accountId: t.accountId ?? parts.accountId,
    name: t.name ?? parts.name,
    trackingId: t.trackingId ?? null,
    status: toEventTrackerStatus(t.status),
    statusText: t.status ?? '',
    datasetGroupArn: t.datasetGroupArn ?? null,
    createdAt: toDate(t.creationDateTime),
    lastUpdatedAt: toDate(t.lastUpdatedDateTime),
  };
}

/** A list summary; `datasetGroupArn` is known when the list was filtered by it. */
export function toEventTrackerFromSummary(
  s: EventTrackerSummary,
  region: string,
  datasetGroupArn: string | null,
): EventTrackerModel {
  const arn = s.eventTrackerArn ?? '';
  const parts = arnParts(arn, region);
  return {
    kind: 'EventTracker',
    complete: false,
    arn,
    region: parts.region,
    accountId: parts.accountId,
    name: s.name ?? parts.name,
    trackingId: null,
    status: toEventTrackerStatus(s.status),
    statusText: s.status ?? '',
    datasetGroupArn,
    createdAt: toDate(s.creationDateTime),
    lastUpdatedAt: toDate(s.lastUpdatedDateTime),
  };
}

export function toDatasetGroup(arn: string, g: DatasetGroup, fallbackRegion: string): DatasetGroupModel {
  const parts = arnParts(g.datasetGroupArn ?? arn, fallbackRegion);
  return {
    kind: 'DatasetGroup',
    complete: true,
    arn: g.datasetGroupArn ?? arn,
    region: parts.region,
    accountId: parts.accountId,
    name: g.name ?? parts.name,
    status: toDatasetGroupStatus(g.status),
    statusText: g.status ?? '',
    failureReason: g.failureReason ?? null,
    roleArn: g.roleArn ?? null,
    kmsKeyArn: g.kmsKeyArn ?? null,
    // No domain is a custom dataset group; a domain this schema does not list is UNKNOWN.
    domain: g.domain ? toEnum(g.domain, DOMAINS, 'UNKNOWN') : null,
    domainText: g.domain ?? null,
    createdAt: toDate(g.creationDateTime),
    lastUpdatedAt: toDate(g.lastUpdatedDateTime),
  };
}

/** A ListDatasetGroups summary: no roleArn or kmsKeyArn (`complete: false`). */
export function toDatasetGroupFromSummary(g: DatasetGroupSummary, region: string): DatasetGroupModel {
  return { ...toDatasetGroup(g.datasetGroupArn ?? '', g, region), complete: false };
}
