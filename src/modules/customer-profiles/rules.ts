import type { Config } from '../../config.js';
import type { QueryEventStreamArgs, QueryEventStreamsArgs } from '../../generated/graphql.js';
import { checkCursor, listKey } from '../../pagination.js';
import {
  CONTROL_CHARACTERS,
  check,
  checkAvailable,
  checkPageSize,
  checkRegion,
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
  checkRegion(argument, arn.region, config.aws.allowedRegions);
  checkAvailable(argument, AVAILABILITY, arn.region, arn.partition);
  return arn;
}

/** A `region` argument (or the default region) where Customer Profiles exists. */
function profileRegion(config: Config, value: string | null | undefined): string {
  const region = regionArgument(config.aws, 'region', value);
  checkAvailable('region', AVAILABILITY, region);
  return region;
}

/** Root-field arguments, checked against AWS's constraints; the preflight runs them for the whole operation. */
export const eventStreamArguments = {
  eventStream(config: Config, args: QueryEventStreamArgs) {
    return {
      domainName: check('domainName', Rules.name, args.domainName),
      name: check('name', Rules.name, args.name),
      region: profileRegion(config, args.region),
    };
  },
  eventStreams(config: Config, args: QueryEventStreamsArgs) {
    const domainName = check('domainName', Rules.name, args.domainName);
    const region = profileRegion(config, args.region);
    const first = checkPageSize('first', args.first, config.defaultPageSize);
    const list = listKey('eventStreams', region, domainName);
    checkCursor('after', args.after, list, Rules.token);
    return { domainName, region, first, list, after: args.after };
  },
};
