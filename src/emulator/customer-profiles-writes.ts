import { eventStreamArnFor } from './arns.js';
import { serviceError } from './aws-errors.js';
import type { OperationDefinition, OperationRequest } from './operation.js';
import { putEventStream, removeEventStream } from './region-writes.js';
import { partitionOf } from './services.js';
import type { DomainRecord, EmulatorStore, EventStreamRecord } from './store.js';
import { InputValidator } from './validation.js';

/*
 * Customer Profiles writes (restJson1): CreateEventStream, DeleteEventStream, and the tag operations on event
 * streams (TagResource, UntagResource, ListTagsForResource), in the shapes of the 2020-08-15 model: capitalised
 * members for event streams, lower-case ones (`tags`, `tagKeys`, `resourceArn`) for tags.
 */

const NAME = { required: true, min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/ } as const;
const TAG_KEY = { min: 1, max: 128, pattern: /^(?!aws:)[a-zA-Z+-=._:/]+$/ } as const;
const TAG_VALUE = { min: 0, max: 256 } as const;
const RESOURCE_ARN = { required: true, max: 256, pattern: /^arn:[a-z0-9]{1,10}:profile/ } as const;
const MAX_TAGS = 50;
const KINESIS_STREAM = /^arn:(aws|aws-cn|aws-us-gov):kinesis:([a-z0-9-]+):(\d{12}):stream\/[a-zA-Z0-9_.-]{1,128}$/;

function members(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

function findDomain(store: EmulatorStore, region: string, domainName: string): DomainRecord {
  const domain = store.region(region).domains.get(domainName);
  if (!domain) throw serviceError('profile', 'notFound', `Domain ${domainName} does not exist.`);
  return domain;
}

/** A `TagMap` member: an object of 1 to 50 string entries with AWS's key and value rules. */
function tagMap(
  input: InputValidator,
  member: string,
  value: unknown,
  required: boolean,
): Record<string, string> | undefined {
  if (value === undefined || value === null) {
    if (required) input.fail(member, 'null', 'Member must not be null');
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    input.fail(member, value, 'Member must be a map');
    return undefined;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length < 1 || entries.length > MAX_TAGS)
    input.fail(member, `${entries.length} tags`, `Member must have between 1 and ${MAX_TAGS} entries`);
  const tags: Record<string, string> = {};
  for (const [key, tagValue] of entries) {
    input.string(`${member}.key`, key, TAG_KEY);
    const checked = input.string(`${member}.${key}`, tagValue, { required: true, ...TAG_VALUE });
    if (checked !== undefined) tags[key] = checked;
  }
  return tags;
}

/** The event stream an ARN names, in the request's region; ResourceNotFound when there is none. */
function streamByArn(store: EmulatorStore, region: string, arn: string): EventStreamRecord {
  for (const domain of store.region(region).domains.values()) {
    for (const stream of domain.eventStreams) if (stream.EventStreamArn === arn) return stream;
  }
  throw serviceError('profile', 'notFound', `Resource ${arn} does not exist.`);
}

function withTags(stream: EventStreamRecord, tags: Record<string, string>): EventStreamRecord {
  return { ...stream, Tags: Object.keys(tags).length ? tags : undefined };
}

export const createEventStream: OperationDefinition = {
  service: 'profile',
  name: 'CreateEventStream',
  http: { method: 'POST', path: '/domains/{DomainName}/event-streams/{EventStreamName}' },
  handle({ region, pathParams, body, now }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('profile');
    const request = members(body);
    const domainName = input.string('domainName', pathParams.DomainName, NAME)!;
    const eventStreamName = input.string('eventStreamName', pathParams.EventStreamName, NAME)!;
    const uri = input.string('uri', request.Uri, { required: true, min: 1, max: 255 });
    const tags = tagMap(input, 'tags', request.Tags, false);
    input.throwIfInvalid();
    const domain = findDomain(store, region, domainName);
    if (domain.eventStreamsByName.has(eventStreamName)) {
      throw serviceError(
        'profile',
        'validation',
        `Event stream ${eventStreamName} already exists in domain ${domainName}.`,
      );
    }
    // Each stream has one Kinesis data stream destination, in the region and account of the domain.
    const kinesis = KINESIS_STREAM.exec(uri!);
    if (!kinesis || kinesis[2] !== region || kinesis[3] !== store.accountId || kinesis[1] !== partitionOf(region)) {
      throw serviceError(
        'profile',
        'validation',
        'The destination must be the ARN of a Kinesis data stream in the region and account of the domain.',
      );
    }
    const stream: EventStreamRecord = {
      DomainName: domainName,
      EventStreamName: eventStreamName,
      EventStreamArn: eventStreamArnFor(region, store.accountId, domainName, eventStreamName),
      CreatedAt: now,
      State: 'RUNNING',
      DestinationDetails: { Uri: uri!, Status: 'HEALTHY' },
      Tags: tags,
    };
    putEventStream(store, region, stream);
    return { EventStreamArn: stream.EventStreamArn, Tags: stream.Tags };
  },
};

export const deleteEventStream: OperationDefinition = {
  service: 'profile',
  name: 'DeleteEventStream',
  http: { method: 'DELETE', path: '/domains/{DomainName}/event-streams/{EventStreamName}' },
  handle({ region, pathParams }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('profile');
    const domainName = input.string('domainName', pathParams.DomainName, NAME)!;
    const eventStreamName = input.string('eventStreamName', pathParams.EventStreamName, NAME)!;
    input.throwIfInvalid();
    if (!findDomain(store, region, domainName).eventStreamsByName.has(eventStreamName)) {
      throw serviceError(
        'profile',
        'notFound',
        `Event stream ${eventStreamName} does not exist in domain ${domainName}.`,
      );
    }
    removeEventStream(store, region, domainName, eventStreamName);
    return {};
  },
};

export const tagResource: OperationDefinition = {
  service: 'profile',
  name: 'TagResource',
  http: { method: 'POST', path: '/tags/{resourceArn}' },
  handle({ region, pathParams, body }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('profile');
    const arn = input.string('resourceArn', pathParams.resourceArn, RESOURCE_ARN)!;
    const tags = tagMap(input, 'tags', members(body).tags, true);
    input.throwIfInvalid();
    const stream = streamByArn(store, region, arn);
    const merged = { ...stream.Tags, ...tags };
    if (Object.keys(merged).length > MAX_TAGS) {
      throw serviceError('profile', 'validation', `A resource can have at most ${MAX_TAGS} tags.`);
    }
    putEventStream(store, region, withTags(stream, merged));
    return {};
  },
};

export const untagResource: OperationDefinition = {
  service: 'profile',
  name: 'UntagResource',
  http: { method: 'DELETE', path: '/tags/{resourceArn}' },
  handle({ region, pathParams, queryValues }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('profile');
    const arn = input.string('resourceArn', pathParams.resourceArn, RESOURCE_ARN)!;
    const raw = queryValues?.tagKeys;
    const tagKeys = raw === undefined ? [] : typeof raw === 'string' ? [raw] : [...raw];
    if (tagKeys.length < 1 || tagKeys.length > MAX_TAGS) {
      input.fail('tagKeys', `${tagKeys.length} keys`, `Member must have length between 1 and ${MAX_TAGS}`);
    }
    for (const key of tagKeys) input.string('tagKeys.member', key, TAG_KEY);
    input.throwIfInvalid();
    const stream = streamByArn(store, region, arn);
    const remaining = Object.fromEntries(Object.entries(stream.Tags ?? {}).filter(([key]) => !tagKeys.includes(key)));
    putEventStream(store, region, withTags(stream, remaining));
    return {};
  },
};

export const listTagsForResource: OperationDefinition = {
  service: 'profile',
  name: 'ListTagsForResource',
  http: { method: 'GET', path: '/tags/{resourceArn}' },
  handle({ region, pathParams }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('profile');
    const arn = input.string('resourceArn', pathParams.resourceArn, RESOURCE_ARN)!;
    input.throwIfInvalid();
    return { tags: streamByArn(store, region, arn).Tags ?? {} };
  },
};

export const customerProfilesWriteOperations: readonly OperationDefinition[] = [
  createEventStream,
  deleteEventStream,
  tagResource,
  untagResource,
  listTagsForResource,
];
