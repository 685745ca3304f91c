import { badUserInput } from '../../errors.js';
import type { Config } from '../../config.js';
import type {
  DatasetGroupEventTrackersArgs,
  QueryDatasetGroupsArgs,
  MutationCreateEventTrackerArgs,
  MutationDeleteEventTrackerArgs,
  QueryDatasetGroupArgs,
  QueryEventTrackerArgs,
  QueryEventTrackersArgs,
} from '../../generated/graphql.js';
import { checkScopedCursor, listKey } from '../../pagination.js';
import { type OwnAccount, type Scope, checkAccount, ignoredCodes, scopeKey, scopesOf } from '../../estate.js';
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
  eventTracker(config: Config, args: QueryEventTrackerArgs, scope?: OwnAccount) {
    const arn = checkPersonalizeArn(config, 'arn', args.arn, 'event-tracker');
    checkAccount(config, scope, 'arn', arn.accountId);
    return arn;
  },
  datasetGroup(config: Config, args: QueryDatasetGroupArgs, scope?: OwnAccount) {
    const arn = checkPersonalizeArn(config, 'arn', args.arn, 'dataset-group');
    checkAccount(config, scope, 'arn', arn.accountId);
    return arn;
  },
  eventTrackers(config: Config, args: QueryEventTrackersArgs, scope?: OwnAccount) {
    let scopes: Scope[];
    let datasetGroupArn: string | null = null;
    if (args.datasetGroupArn !== null && args.datasetGroupArn !== undefined) {
      datasetGroupArn = args.datasetGroupArn;
      const group = checkPersonalizeArn(config, 'datasetGroupArn', datasetGroupArn, 'dataset-group');
      checkAccount(config, scope, 'datasetGroupArn', group.accountId);
      if (args.region && regionArgument(config.aws, 'region', args.region) !== group.region) {
        throw badUserInput('region', 'must be omitted or equal the region of datasetGroupArn');
      }
      if (args.accounts || args.regions)
        throw badUserInput(args.accounts ? 'accounts' : 'regions', 'must be omitted with datasetGroupArn');
      scopes = [{ partition: group.partition, accountId: group.accountId, region: group.region }];
    } else {
      scopes = scopesOf(config, scope, args, AVAILABILITY);
    }
    const first = checkPageSize('first', args.first, config.defaultPageSize);
    const status = args.status ?? null;
    const list = listKey('eventTrackers', scopes.map((s) => scopeKey(s)).join(','), datasetGroupArn, status);
    checkScopedCursor('after', args.after, list, Rules.token);
    return {
      scopes,
      datasetGroupArn,
      first,
      status,
      list,
      after: args.after,
      ignore: ignoredCodes(config, args.ignoreErrors),
    };
  },
  datasetGroups(config: Config, args: QueryDatasetGroupsArgs, scope?: OwnAccount) {
    const scopes = scopesOf(config, scope, args, AVAILABILITY);
    const first = checkPageSize('first', args.first, config.defaultPageSize);
    const status = args.status ?? null;
    const list = listKey('datasetGroups', scopes.map((s) => scopeKey(s)).join(','), status);
    checkScopedCursor('after', args.after, list, Rules.token);
    return { scopes, first, status, list, after: args.after, ignore: ignoredCodes(config, args.ignoreErrors) };
  },
  /** `DatasetGroup.eventTrackers`: its cursor is checked against its group when it runs (no parent here). */
  datasetGroupEventTrackers(config: Config, args: DatasetGroupEventTrackersArgs) {
    return { first: checkPageSize('first', args.first, config.defaultPageSize), status: args.status ?? null };
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
