import { serviceError } from './aws-errors.js';
import type { OperationDefinition, OperationRequest } from './operation.js';
import { InvalidPageTokenError, paginate } from './pagination.js';
import type { DomainRecord, EmulatorStore, EventStreamRecord } from './store.js';
import { InputValidator } from './validation.js';
import { toEpochSeconds } from './wire-time.js';

/** Customer Profiles (restJson1, signing name `profile`): the event stream reads and ListDomains. */

const NAME = { required: true, min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/ } as const;

function findDomain(store: EmulatorStore, region: string, domainName: string): DomainRecord {
  const domain = store.region(region).domains.get(domainName);
  if (!domain) throw serviceError('profile', 'notFound', `Domain ${domainName} does not exist.`);
  return domain;
}

function epoch(date: Date | undefined): number | undefined {
  return date === undefined ? undefined : toEpochSeconds(date);
}

/** The GetEventStream output: every member, timestamps as epoch seconds. */
export function toGetEventStreamOutput(stream: EventStreamRecord): object {
  return {
    DomainName: stream.DomainName,
    EventStreamArn: stream.EventStreamArn,
    CreatedAt: toEpochSeconds(stream.CreatedAt),
    State: stream.State,
    StoppedSince: epoch(stream.StoppedSince),
    DestinationDetails: {
      Uri: stream.DestinationDetails.Uri,
      Status: stream.DestinationDetails.Status,
      UnhealthySince: epoch(stream.DestinationDetails.UnhealthySince),
      Message: stream.DestinationDetails.Message,
    },
    Tags: stream.Tags,
  };
}

/** EventStreamSummary: no CreatedAt and no destination Message, as in the model. */
export function toEventStreamSummary(stream: EventStreamRecord): object {
  return {
    DomainName: stream.DomainName,
    EventStreamName: stream.EventStreamName,
    EventStreamArn: stream.EventStreamArn,
    State: stream.State,
    StoppedSince: epoch(stream.StoppedSince),
    DestinationSummary: {
      Uri: stream.DestinationDetails.Uri,
      Status: stream.DestinationDetails.Status,
      UnhealthySince: epoch(stream.DestinationDetails.UnhealthySince),
    },
    Tags: stream.Tags,
  };
}

export const getEventStream: OperationDefinition = {
  service: 'profile',
  name: 'GetEventStream',
  http: { method: 'GET', path: '/domains/{DomainName}/event-streams/{EventStreamName}' },
  handle({ region, pathParams }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('profile');
    const domainName = input.string('domainName', pathParams.DomainName, NAME)!;
    const eventStreamName = input.string('eventStreamName', pathParams.EventStreamName, NAME)!;
    input.throwIfInvalid();
    const stream = findDomain(store, region, domainName).eventStreamsByName.get(eventStreamName);
    if (!stream) {
      throw serviceError(
        'profile',
        'notFound',
        `Event stream ${eventStreamName} does not exist in domain ${domainName}.`,
      );
    }
    return toGetEventStreamOutput(stream);
  },
};

export const listEventStreams: OperationDefinition = {
  service: 'profile',
  name: 'ListEventStreams',
  http: { method: 'GET', path: '/domains/{DomainName}/event-streams' },
  handle({ region, pathParams, query }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('profile');
    const domainName = input.string('domainName', pathParams.DomainName, NAME)!;
    const nextToken = input.string('nextToken', query['next-token'], { min: 1, max: 1024 });
    const maxResults = input.integer('maxResults', query['max-results'], { min: 1, max: 100 });
    input.throwIfInvalid();
    const domain = findDomain(store, region, domainName);
    try {
      const page = paginate(domain.eventStreams, {
        scope: `profile:ListEventStreams:${store.accountId}:${region}:${domainName}`,
        nextToken,
        maxResults,
      });
      return { Items: page.items.map(toEventStreamSummary), NextToken: page.nextToken };
    } catch (error) {
      if (error instanceof InvalidPageTokenError)
        throw serviceError('profile', 'invalidNextToken', 'The next token is invalid.');
      throw error;
    }
  },
};

/** ListItem of ListDomains: DomainName, CreatedAt, LastUpdatedAt and Tags. */
export function toDomainListItem(domain: DomainRecord): object {
  return {
    DomainName: domain.DomainName,
    CreatedAt: toEpochSeconds(domain.CreatedAt),
    LastUpdatedAt: toEpochSeconds(domain.LastUpdatedAt),
    Tags: domain.Tags,
  };
}

export const listDomains: OperationDefinition = {
  service: 'profile',
  name: 'ListDomains',
  http: { method: 'GET', path: '/domains' },
  handle({ region, query }: OperationRequest, store: EmulatorStore) {
    const input = new InputValidator('profile');
    const nextToken = input.string('nextToken', query['next-token'], { min: 1, max: 1024 });
    const maxResults = input.integer('maxResults', query['max-results'], { min: 1, max: 100 });
    input.throwIfInvalid();
    try {
      const page = paginate([...store.region(region).domains.values()], {
        scope: `profile:ListDomains:${store.accountId}:${region}`,
        nextToken,
        maxResults,
      });
      return { Items: page.items.map(toDomainListItem), NextToken: page.nextToken };
    } catch (error) {
      if (error instanceof InvalidPageTokenError)
        throw serviceError('profile', 'invalidNextToken', 'The next token is invalid.');
      throw error;
    }
  },
};

export const customerProfilesOperations: readonly OperationDefinition[] = [
  getEventStream,
  listEventStreams,
  listDomains,
];
