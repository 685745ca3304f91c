import { eventTrackerArnFor } from './arns.js';
import { AwsError, serviceError } from './aws-errors.js';
import type { OperationDefinition, OperationRequest } from './operation.js';
import { putEventTracker } from './region-writes.js';
import { type EmulatorStore, type EventTrackerRecord, stableUuid } from './store.js';
import { InputValidator } from './validation.js';

/*
 * Personalize writes (awsJson1_1): CreateEventTracker and DeleteEventTracker. A new tracker starts
 * `CREATE PENDING` and a deleted one is `DELETE PENDING`; lifecycle.ts moves them on with the clock.
 */

const ARN = { max: 256, pattern: /^arn:([a-z\d-]+):personalize:.*:.*:.+$/ } as const;
const NAME = { required: true, min: 1, max: 63, pattern: /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/ } as const;
const TAG_TEXT = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
/** The model allows a list of 200; a resource holds at most 50 tags (TooManyTagsException beyond). */
const MAX_TAG_LIST = 200;
const MAX_TAGS = 50;

/** Errors of the write operations beyond the service's usual ones, with the model's HTTP statuses. */
const writeErrors = {
  alreadyExists: (message: string) => new AwsError('ResourceAlreadyExistsException', 403, message),
  inUse: (message: string) => new AwsError('ResourceInUseException', 409, message),
  tooManyTags: (message: string) => new AwsError('TooManyTagsException', 400, message),
};

function members(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

function checkTags(input: InputValidator, value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (!Array.isArray(value)) {
    input.fail('tags', value, 'Member must be a list');
    return 0;
  }
  if (value.length > MAX_TAG_LIST)
    input.fail('tags', `${value.length} tags`, `Member must have length less than or equal to ${MAX_TAG_LIST}`);
  value.forEach((tag, i) => {
    const t = members(tag);
    input.string(`tags.${i + 1}.member.tagKey`, t.tagKey, { required: true, min: 1, max: 128, pattern: TAG_TEXT });
    input.string(`tags.${i + 1}.member.tagValue`, t.tagValue, { required: true, min: 0, max: 256, pattern: TAG_TEXT });
  });
  return value.length;
}

const DELETING = new Set(['DELETE PENDING', 'DELETE IN_PROGRESS']);

export const createEventTracker: OperationDefinition = {
  service: 'personalize',
  name: 'CreateEventTracker',
  target: 'AmazonPersonalize.CreateEventTracker',
  handle({ region, body, now }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('personalize');
    const request = members(body);
    const name = input.string('name', request.name, NAME)!;
    const datasetGroupArn = input.string('datasetGroupArn', request.datasetGroupArn, { required: true, ...ARN })!;
    const tagCount = checkTags(input, request.tags);
    input.throwIfInvalid();
    if (tagCount > MAX_TAGS) throw writeErrors.tooManyTags(`A resource can have at most ${MAX_TAGS} tags.`);
    const data = store.region(region);
    const arn = eventTrackerArnFor(region, store.accountId, name);
    if (data.eventTrackersByArn.has(arn)) throw writeErrors.alreadyExists(`Event tracker ${arn} already exists.`);
    const group = data.datasetGroupsByArn.get(datasetGroupArn);
    if (!group) throw serviceError('personalize', 'notFound', `Could not find resource with ARN ${datasetGroupArn}.`);
    if (group.status !== 'ACTIVE') throw writeErrors.inUse(`Dataset group ${datasetGroupArn} is not ACTIVE.`);
    // "Only one event tracker can be associated with a dataset group" (one on its way out does not count).
    if (data.eventTrackers.some((t) => t.datasetGroupArn === datasetGroupArn && !DELETING.has(t.status))) {
      throw writeErrors.alreadyExists(`Dataset group ${datasetGroupArn} already has an event tracker.`);
    }
    const tracker: EventTrackerRecord = {
      name,
      eventTrackerArn: arn,
      accountId: store.accountId,
      trackingId: stableUuid(`${arn}@${now.toISOString()}`),
      datasetGroupArn,
      status: 'CREATE PENDING',
      creationDateTime: now,
      lastUpdatedDateTime: now,
    };
    putEventTracker(store, region, tracker);
    store.trackerLifecycles.set(arn, { region, arn, createdAt: now });
    return { eventTrackerArn: arn, trackingId: tracker.trackingId };
  },
};

export const deleteEventTracker: OperationDefinition = {
  service: 'personalize',
  name: 'DeleteEventTracker',
  target: 'AmazonPersonalize.DeleteEventTracker',
  handle({ region, body, now }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('personalize');
    const arn = input.string('eventTrackerArn', members(body).eventTrackerArn, { required: true, ...ARN })!;
    input.throwIfInvalid();
    const tracker = store.region(region).eventTrackersByArn.get(arn);
    if (!tracker) throw serviceError('personalize', 'notFound', `Could not find resource with ARN ${arn}.`);
    // Idempotent, as the model says: deleting a tracker that is being deleted changes nothing.
    if (DELETING.has(tracker.status)) return {};
    putEventTracker(store, region, { ...tracker, status: 'DELETE PENDING', lastUpdatedDateTime: now });
    store.trackerLifecycles.set(arn, { region, arn, deleteRequestedAt: now });
    return {};
  },
};

export const personalizeWriteOperations: readonly OperationDefinition[] = [createEventTracker, deleteEventTracker];
