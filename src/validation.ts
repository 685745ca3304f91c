import { z } from 'zod';
import { partitionOf } from './aws/regions.js';
import { badUserInput } from './errors.js';

/**
 * AWS's input constraints (aws-apis.md), checked before any AWS call so a bad argument costs nothing and the
 * caller learns which argument broke which rule. Messages never echo the rejected value: it may be hostile.
 */

/** A string rule: length bounds and, optionally, a pattern. Modules build their AWS constraints from it. */
export function textRule(min: number, max: number, pattern?: RegExp) {
  let rule = z
    .string()
    .min(min, `must be at least ${min} character${min === 1 ? '' : 's'} long`)
    .max(max, `must be at most ${max} characters long`);
  if (pattern) rule = rule.regex(pattern, `must match ${pattern.source}`);
  return rule;
}

/** AWS list page sizes (MaxResults and its spellings): 1 to 100. */
export const pageSizeRule = z
  .number()
  .int('must be an integer')
  .min(1, 'must be between 1 and 100')
  .max(100, 'must be between 1 and 100');

/** Checks `value` against `rule`; throws BAD_USER_INPUT naming `argument` and the rule. */
export function check<T>(argument: string, rule: z.ZodType<T>, value: unknown): T {
  const result = rule.safeParse(value);
  if (!result.success) throw badUserInput(argument, result.error.issues[0]?.message ?? 'is invalid');
  return result.data;
}

/** Control characters are never valid in any identifier passed to AWS (path and header injection). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
export const CONTROL_CHARACTERS = /[\x00-\x1F\x7F]/;

export function checkRegion(argument: string, value: string, allowed: ReadonlySet<string>): string {
  if (!allowed.has(value)) throw badUserInput(argument, 'must be an AWS region this gateway serves (e.g. us-east-1)');
  return value;
}

/**
 * A `region` argument, or the default region; refused unless the gateway serves it and, given the service's
 * `availability`, unless the service exists in the region's partition.
 */
export function regionArgument(
  aws: { defaultRegion: string; allowedRegions: ReadonlySet<string> },
  argument: string,
  value: string | null | undefined,
  availability?: ServiceAvailability,
): string {
  let region = aws.defaultRegion;
  if (value !== null && value !== undefined) {
    if (typeof value !== 'string' || value.length > 32)
      throw badUserInput(argument, 'must be an AWS region this gateway serves (e.g. us-east-1)');
    region = checkRegion(argument, value, aws.allowedRegions);
  }
  if (availability) checkAvailable(argument, availability, region);
  return region;
}

/** Where an ARN says its resource lives: a region the gateway serves, of the ARN's partition, with the service. */
export function checkArnLocation(
  argument: string,
  arn: { region: string; partition: string },
  allowedRegions: ReadonlySet<string>,
  availability: ServiceAvailability,
): void {
  checkRegion(argument, arn.region, allowedRegions);
  checkAvailable(argument, availability, arn.region, arn.partition);
}

export function checkPageSize(argument: string, value: number | null | undefined, fallback: number): number {
  return value === null || value === undefined ? fallback : check(argument, pageSizeRule, value);
}

/** AWS's tag constraints of one service: the count of a tag set, and the key and value rules. */
export interface TagRules {
  min: number;
  max: number;
  key: z.ZodType<string>;
  value: z.ZodType<string>;
}

/**
 * A tag set (`[{ key, value }]`) against AWS's rules: `min` to `max` tags, each key once, keys not starting with the
 * reserved `aws:` prefix, keys and values by the service's rules. BAD_USER_INPUT names the offending entry
 * (`input.tags[2].key`); the value itself is never echoed.
 */
export function checkTags(
  argument: string,
  tags: ReadonlyArray<{ key: string; value: string }>,
  rules: TagRules,
): Array<{ key: string; value: string }> {
  if (tags.length < rules.min || tags.length > rules.max) {
    throw badUserInput(argument, `must hold ${rules.min} to ${rules.max} tags`);
  }
  const seen = new Set<string>();
  return tags.map((tag, i) => {
    const at = `${argument}[${i}]`;
    // AWS reserves the prefix in any letter case.
    if (typeof tag.key === 'string' && tag.key.toLowerCase().startsWith('aws:'))
      throw badUserInput(`${at}.key`, 'must not start with aws: (the prefix is reserved for AWS)');
    const key = check(`${at}.key`, rules.key, tag.key);
    if (seen.has(key)) throw badUserInput(`${at}.key`, 'must not repeat the key of another tag');
    seen.add(key);
    return { key, value: check(`${at}.value`, rules.value, tag.value) };
  });
}

/** Where a service exists: a module's own statement of the partitions AWS offers it in. */
export interface ServiceAvailability {
  /** The service as people name it, as its module names it. */
  readonly label: string;
  readonly partitions: readonly string[];
}

/**
 * A resource in `region` (of an ARN of `partition`, when given) must be somewhere its service exists: a region of
 * the ARN's own partition, in a partition that has the service. Otherwise BAD_USER_INPUT, before any call, rather
 * than a request to an endpoint that does not exist. `region` has passed the region allow-list already.
 */
export function checkAvailable(
  argument: string,
  service: ServiceAvailability,
  region: string,
  partition: string = partitionOf(region),
): void {
  if (region && partitionOf(region) !== partition)
    throw badUserInput(argument, `names region ${region}, which is not in partition ${partition}`);
  if (!service.partitions.includes(partition)) {
    const elsewhere = service.partitions.join(', ');
    throw badUserInput(
      argument,
      `is in partition ${partition}, where ${service.label} does not exist (it does in ${elsewhere})`,
    );
  }
}
