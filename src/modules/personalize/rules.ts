import { badUserInput } from '../../errors.js';
import type { Config } from '../../config.js';
import type {
  MutationCreateEventTrackerArgs,
  MutationDeleteEventTrackerArgs,
  QueryDatasetGroupArgs,
  QueryEventTrackerArgs,
  QueryEventTrackersArgs,
} from '../../generated/graphql.js';
import { checkCursor, listKey } from '../../pagination.js';
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
import { AVAILABILITY, type PersonalizeArn, type PersonalizeResourceType, parsePersonalizeArn } from './arns.js';

/** AWS's input constraints of Personalize (aws-apis.md §2). */
export const Rules = {
  /** `Arn`. */
  arn: textRule(1, 256, /^arn:([a-z\d-]+):personalize:.*:.*:.+$/),
  /** `NextToken`. */
  // biome-ignore lint/suspicious/noControlCharactersInRegex: AWS's pattern is any ASCII, control characters included.
  token: textRule(0, 1500, /^[\x00-\x7F]*$/),
  /** `Name` (event trackers, dataset groups). */
  name: textRule(1, 63, /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/),
  /**
   * `Tags` of CreateEventTracker: the model allows 200, the gateway 1 to 50 as for every resource here; `tagKey`
   * 1-128 and `tagValue` 0-256, both of letters, spaces, digits and `_ . : / = + - @`.
   */
  tags: {
    min: 1,
    max: 50,
    key: textRule(1, 128, /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u),
    value: textRule(0, 256, /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u),
  } satisfies TagRules,
};

/** A Personalize ARN of `type` in a region this gateway serves; BAD_USER_INPUT naming `argument` otherwise. */
export function checkPersonalizeArn(
  config: Config,
  argument: string,
  value: string,
  type: PersonalizeResourceType,
): PersonalizeArn {
  check(argument, Rules.arn, value);
  const arn = CONTROL_CHARACTERS.test(value) ? null : parsePersonalizeArn(value, type);
  if (!arn) {
    throw badUserInput(
      argument,
      `must be a Personalize ${type} ARN (arn:<partition>:personalize:<region>:<account>:${type}/<name>)`,
    );
  }
  checkArnLocation(argument, arn, config.aws.allowedRegions, AVAILABILITY);
  return arn;
}

/** Root-field arguments, checked against AWS's constraints; the preflight runs them for the whole operation. */
export const personalizeArguments = {
  eventTracker: (config: Config, args: QueryEventTrackerArgs) =>
    checkPersonalizeArn(config, 'arn', args.arn, 'event-tracker'),
  datasetGroup: (config: Config, args: QueryDatasetGroupArgs) =>
    checkPersonalizeArn(config, 'arn', args.arn, 'dataset-group'),
  eventTrackers(config: Config, args: QueryEventTrackersArgs) {
    let region: string;
    let datasetGroupArn: string | null = null;
    if (args.datasetGroupArn !== null && args.datasetGroupArn !== undefined) {
      datasetGroupArn = args.datasetGroupArn;
      region = checkPersonalizeArn(config, 'datasetGroupArn', datasetGroupArn, 'dataset-group').region;
      if (args.region && regionArgument(config.aws, 'region', args.region) !== region) {
        throw badUserInput('region', 'must be omitted or equal the region of datasetGroupArn');
      }
    } else {
      region = regionArgument(config.aws, 'region', args.region, AVAILABILITY);
    }
    const first = checkPageSize('first', args.first, config.defaultPageSize);
    const list = listKey('eventTrackers', region, datasetGroupArn);
    checkCursor('after', args.after, list, Rules.token);
    return { region, datasetGroupArn, first, list, after: args.after };
  },
};

/** The arguments of the event tracker mutations: the preflight checks them before any AWS call, so do the resolvers. */
export const personalizeWriteArguments = {
  createEventTracker(config: Config, { input }: MutationCreateEventTrackerArgs) {
    return {
      datasetGroup: checkPersonalizeArn(config, 'input.datasetGroupArn', input.datasetGroupArn, 'dataset-group'),
      datasetGroupArn: input.datasetGroupArn,
      name: check('input.name', Rules.name, input.name),
      tags: input.tags === null || input.tags === undefined ? null : checkTags('input.tags', input.tags, Rules.tags),
    };
  },
  deleteEventTracker: (config: Config, { input }: MutationDeleteEventTrackerArgs) =>
    checkPersonalizeArn(config, 'input.arn', input.arn, 'event-tracker'),
};
