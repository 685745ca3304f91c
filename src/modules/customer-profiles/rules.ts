import type { Config } from '../../config.js';
import type {
  DomainEventStreamsArgs,
  QueryDomainsArgs,
  MutationCreateEventStreamArgs,
  MutationDeleteEventStreamArgs,
  MutationUpdateEventStreamArgs,
  QueryEventStreamArgs,
  QueryEventStreamByIdentifierArgs,
  QueryEventStreamsArgs,
} from '../../generated/graphql.js';
import { checkScopedCursor, listKey } from '../../pagination.js';
import { type OwnAccount, ignoredCodes, scopeKey, scopesOf } from '../../estate.js';
import { parseArn } from '../../resource/arn.js';
import {
  CONTROL_CHARACTERS,
  type TagRules,
  check,
  checkArnLocation,
  checkPageSize,
  checkTags,
  regionArgument,
  textRule,
} from '../../validation.js';
import { AVAILABILITY, type EventStreamArn, kinesisStreamName, parseEventStreamArn } from './arns.js';
import { badUserInput } from '../../errors.js';

/** AWS's input constraints of Customer Profiles (aws-apis.md §1). */
export const Rules = {
  /** `name` (DomainName, EventStreamName). */
  name: textRule(1, 64, /^[a-zA-Z0-9_-]+$/),
  /** `token`. */
  token: textRule(1, 1024),
  /** `Uri` of CreateEventStream (`string1To255`). */
  uri: textRule(1, 255),
  /** `TagMap`: 1-50 entries; `TagKey` 1-128 (AWS's own pattern, `+-=` a range), `TagValue` 0-256. */
  tags: {
    min: 1,
    max: 50,
    key: textRule(1, 128, /^(?!aws:)[a-zA-Z+-=._:/]+$/),
    value: textRule(0, 256),
  } satisfies TagRules,
};

/**
 * The StackQL / CloudControl primary identifier of an event stream, `DomainName|EventStreamName` (its region is
 * given beside it, as StackQL's `region` column).
 */
export function parseEventStreamIdentifier(argument: string, value: string): { domainName: string; name: string } {
  const parts = value.split('|');
  if (parts.length !== 2) throw badUserInput(argument, 'must be DomainName|EventStreamName');
  return { domainName: check(argument, Rules.name, parts[0]), name: check(argument, Rules.name, parts[1]) };
}

/** A Kinesis data stream ARN in `region` (AWS: the destination is in the region and account of the domain). */
function checkKinesisStreamUri(argument: string, value: string, region: string): string {
  const uri = check(argument, Rules.uri, value);
  const arn = parseArn(uri);
  if (!arn || !kinesisStreamName(uri) || !arn.accountId)
    throw badUserInput(
      argument,
      'must be a Kinesis data stream ARN (arn:<partition>:kinesis:<region>:<account>:stream/<name>)',
    );
  if (arn.region !== region)
    throw badUserInput(argument, `must be a Kinesis data stream in the stream's region, ${region}`);
  return uri;
}

export function checkEventStreamArn(config: Config, argument: string, value: string): EventStreamArn {
  const arn = CONTROL_CHARACTERS.test(value) ? null : parseEventStreamArn(value);
  if (!arn) {
    throw badUserInput(
      argument,
      'must be an event stream ARN (arn:<partition>:profile:<region>:<account>:domains/<domain>/event-streams/<name>)',
    );
  }
  checkArnLocation(argument, arn, config.aws.allowedRegions, AVAILABILITY);
  return arn;
}

/** Root-field arguments, checked against AWS's constraints; the preflight runs them for the whole operation. */
export const eventStreamArguments = {
  eventStream(config: Config, args: QueryEventStreamArgs) {
    return {
      domainName: check('domainName', Rules.name, args.domainName),
      name: check('name', Rules.name, args.name),
      region: regionArgument(config.aws, 'region', args.region, AVAILABILITY),
    };
  },
  eventStreamByIdentifier(config: Config, args: QueryEventStreamByIdentifierArgs) {
    return {
      ...parseEventStreamIdentifier('identifier', args.identifier),
      region: regionArgument(config.aws, 'region', args.region),
    };
  },
  eventStreams(config: Config, args: QueryEventStreamsArgs, scope?: OwnAccount) {
    const domainName =
      args.domainName === null || args.domainName === undefined
        ? null
        : check('domainName', Rules.name, args.domainName);
    const scopes = scopesOf(config, scope, args, AVAILABILITY);
    const first = checkPageSize('first', args.first, config.defaultPageSize);
    const state = args.state ?? null;
    const destinationStatus = args.destinationStatus ?? null;
    const list = listKey(
      'eventStreams',
      domainName,
      scopes.map((s) => scopeKey(s)).join(','),
      state,
      destinationStatus,
    );
    checkScopedCursor('after', args.after, list, Rules.token);
    const ignore = ignoredCodes(config, args.ignoreErrors);
    return { domainName, scopes, first, state, destinationStatus, list, after: args.after, ignore };
  },
  domains(config: Config, args: QueryDomainsArgs, scope?: OwnAccount) {
    const scopes = scopesOf(config, scope, args, AVAILABILITY);
    const first = checkPageSize('first', args.first, config.defaultPageSize);
    const list = listKey('domains', scopes.map((s) => scopeKey(s)).join(','));
    checkScopedCursor('after', args.after, list, Rules.token);
    return { scopes, first, list, after: args.after, ignore: ignoredCodes(config, args.ignoreErrors) };
  },
  /** `Domain.eventStreams`: its cursor is checked against its domain when it runs (the preflight has no parent). */
  domainEventStreams(config: Config, args: DomainEventStreamsArgs) {
    return {
      first: checkPageSize('first', args.first, config.defaultPageSize),
      state: args.state ?? null,
      destinationStatus: args.destinationStatus ?? null,
    };
  },
};

/** The arguments of the event stream mutations: the preflight checks them before any AWS call, so do the resolvers. */
export const eventStreamWriteArguments = {
  createEventStream(config: Config, { input }: MutationCreateEventStreamArgs) {
    const region = regionArgument(config.aws, 'input.region', input.region);
    return {
      domainName: check('input.domainName', Rules.name, input.domainName),
      name: check('input.name', Rules.name, input.name),
      region,
      uri: checkKinesisStreamUri('input.uri', input.uri, region),
      tags: input.tags === null || input.tags === undefined ? null : checkTags('input.tags', input.tags, Rules.tags),
    };
  },
  updateEventStream(config: Config, { input }: MutationUpdateEventStreamArgs) {
    return {
      domainName: check('input.domainName', Rules.name, input.domainName),
      name: check('input.name', Rules.name, input.name),
      region: regionArgument(config.aws, 'input.region', input.region),
      // The new full set: empty removes every tag, so 0 is allowed here (TagResource itself takes 1 to 50).
      tags: checkTags('input.tags', input.tags, { ...Rules.tags, min: 0 }),
    };
  },
  deleteEventStream(config: Config, { input }: MutationDeleteEventStreamArgs) {
    return {
      domainName: check('input.domainName', Rules.name, input.domainName),
      name: check('input.name', Rules.name, input.name),
      region: regionArgument(config.aws, 'input.region', input.region),
    };
  },
};
