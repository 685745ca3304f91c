import { serviceError } from './aws-errors.js';
import type { OperationDefinition, OperationRequest } from './operation.js';
import { InvalidPageTokenError, paginate } from './pagination.js';
import type { DatasetGroupRecord, EmulatorStore, EventTrackerRecord } from './store.js';
import { InputValidator } from './validation.js';
import { toEpochSeconds } from './wire-time.js';

/** Amazon Personalize (awsJson1_1, target prefix `AmazonPersonalize`): event trackers and dataset groups. */

const ARN = { max: 256, pattern: /^arn:([a-z\d-]+):personalize:.*:.*:.+$/ } as const;
// NextToken: max 1500, pattern ^\p{ASCII}{0,1500}$.
const NEXT_TOKEN = { max: 1500, pattern: /^\p{ASCII}{0,1500}$/u } as const;

/** awsJson1_1 always carries a JSON object body (`{}` for empty input). */
function members(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export function toEventTracker(tracker: EventTrackerRecord): object {
  return {
    name: tracker.name,
    eventTrackerArn: tracker.eventTrackerArn,
    accountId: tracker.accountId,
    trackingId: tracker.trackingId,
    datasetGroupArn: tracker.datasetGroupArn,
    status: tracker.status,
    creationDateTime: toEpochSeconds(tracker.creationDateTime),
    lastUpdatedDateTime: toEpochSeconds(tracker.lastUpdatedDateTime),
  };
}

/** EventTrackerSummary: no trackingId, accountId or datasetGroupArn, as in the model. */
export function toEventTrackerSummary(tracker: EventTrackerRecord): object {
  return {
    name: tracker.name,
    eventTrackerArn: tracker.eventTrackerArn,
    status: tracker.status,
    creationDateTime: toEpochSeconds(tracker.creationDateTime),
    lastUpdatedDateTime: toEpochSeconds(tracker.lastUpdatedDateTime),
  };
}

export function toDatasetGroup(group: DatasetGroupRecord): object {
  return {
    name: group.name,
    datasetGroupArn: group.datasetGroupArn,
    status: group.status,
    roleArn: group.roleArn,
    kmsKeyArn: group.kmsKeyArn,
    creationDateTime: toEpochSeconds(group.creationDateTime),
    lastUpdatedDateTime: toEpochSeconds(group.lastUpdatedDateTime),
    failureReason: group.failureReason,
    domain: group.domain,
  };
}

function notFound(arn: string): Error {
  return serviceError('personalize', 'notFound', `Could not find resource with ARN ${arn}.`);
}

export const describeEventTracker: OperationDefinition = {
  service: 'personalize',
  name: 'DescribeEventTracker',
  target: 'AmazonPersonalize.DescribeEventTracker',
  handle({ region, body }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('personalize');
    const arn = input.string('eventTrackerArn', members(body).eventTrackerArn, { required: true, ...ARN })!;
    input.throwIfInvalid();
    const tracker = store.region(region).eventTrackersByArn.get(arn);
    if (!tracker) throw notFound(arn);
    return { eventTracker: toEventTracker(tracker) };
  },
};

export const listEventTrackers: OperationDefinition = {
  service: 'personalize',
  name: 'ListEventTrackers',
  target: 'AmazonPersonalize.ListEventTrackers',
  handle({ region, body }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('personalize');
    const request = members(body);
    const datasetGroupArn = input.string('datasetGroupArn', request.datasetGroupArn, ARN);
    const nextToken = input.string('nextToken', request.nextToken, NEXT_TOKEN);
    const maxResults = input.integer('maxResults', request.maxResults, { min: 1, max: 100 });
    input.throwIfInvalid();
    // The model has no not-found error here: an unknown dataset group simply has no trackers.
    const all = store.region(region).eventTrackers;
    const matching = datasetGroupArn === undefined ? all : all.filter((t) => t.datasetGroupArn === datasetGroupArn);
    try {
      const page = paginate(matching, {
        scope: `personalize:ListEventTrackers:${store.accountId}:${region}:${datasetGroupArn ?? '*'}`,
        nextToken,
        maxResults,
      });
      return { eventTrackers: page.items.map(toEventTrackerSummary), nextToken: page.nextToken };
    } catch (error) {
      if (error instanceof InvalidPageTokenError)
        throw serviceError('personalize', 'invalidNextToken', 'Invalid next token.');
      throw error;
    }
  },
};

export const describeDatasetGroup: OperationDefinition = {
  service: 'personalize',
  name: 'DescribeDatasetGroup',
  target: 'AmazonPersonalize.DescribeDatasetGroup',
  handle({ region, body }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('personalize');
    const arn = input.string('datasetGroupArn', members(body).datasetGroupArn, { required: true, ...ARN })!;
    input.throwIfInvalid();
    const group = store.region(region).datasetGroupsByArn.get(arn);
    if (!group) throw notFound(arn);
    return { datasetGroup: toDatasetGroup(group) };
  },
};

/** DatasetGroupSummary: no roleArn or kmsKeyArn, as in the model. */
export function toDatasetGroupSummary(group: DatasetGroupRecord): object {
  return {
    name: group.name,
    datasetGroupArn: group.datasetGroupArn,
    status: group.status,
    creationDateTime: toEpochSeconds(group.creationDateTime),
    lastUpdatedDateTime: toEpochSeconds(group.lastUpdatedDateTime),
    failureReason: group.failureReason,
    domain: group.domain,
  };
}

export const listDatasetGroups: OperationDefinition = {
  service: 'personalize',
  name: 'ListDatasetGroups',
  target: 'AmazonPersonalize.ListDatasetGroups',
  handle({ region, body }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('personalize');
    const request = members(body);
    const nextToken = input.string('nextToken', request.nextToken, NEXT_TOKEN);
    const maxResults = input.integer('maxResults', request.maxResults, { min: 1, max: 100 });
    input.throwIfInvalid();
    try {
      const page = paginate(store.region(region).datasetGroups, {
        scope: `personalize:ListDatasetGroups:${store.accountId}:${region}`,
        nextToken,
        maxResults,
      });
      return { datasetGroups: page.items.map(toDatasetGroupSummary), nextToken: page.nextToken };
    } catch (error) {
      if (error instanceof InvalidPageTokenError)
        throw serviceError('personalize', 'invalidNextToken', 'Invalid next token.');
      throw error;
    }
  },
};

export const personalizeOperations: readonly OperationDefinition[] = [
  describeEventTracker,
  listEventTrackers,
  describeDatasetGroup,
  listDatasetGroups,
];
