import type { Config } from '../../config.js';
import type { QueryEventStreamArgs, QueryEventStreamsArgs } from '../../generated/graphql.js';
import { checkCursor, listKey } from '../../pagination.js';
import {
  CONTROL_CHARACTERS,
  check,
  checkArnLocation,
  checkPageSize,
  regionArgument,
  textRule,
} from '../../validation.js';
import { AVAILABILITY, type EventStreamArn, parseEventStreamArn } from './arns.js';
import { badUserInput } from '../../errors.js';

/** AWS's input constraints of Customer Profiles (aws-apis.md §1). */
export const Rules = {
  /** `name` (DomainName, EventStreamName). */
  name: textRule(1, 64, /^[a-zA-Z0-9_-]+$/),
  /** `token`. */
  token: textRule(1, 1024),
};

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
  eventStreams(config: Config, args: QueryEventStreamsArgs) {
    const domainName = check('domainName', Rules.name, args.domainName);
    const region = regionArgument(config.aws, 'region', args.region, AVAILABILITY);
    const first = checkPageSize('first', args.first, config.defaultPageSize);
    const list = listKey('eventStreams', region, domainName);
    checkCursor('after', args.after, list, Rules.token);
    return { domainName, region, first, list, after: args.after };
  },
};
