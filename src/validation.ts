import { z } from 'zod';
import { parseEventStreamArn, parsePersonalizeArn, type PersonalizeResourceType } from './aws/arn.js';
import { badUserInput } from './aws/errors.js';

/**
 * AWS's input constraints (aws-apis.md), checked before any AWS call so a bad argument costs nothing and the
 * caller learns which argument broke which rule. Messages never echo the rejected value: it may be hostile.
 */

function text(min: number, max: number, pattern?: RegExp) {
  let s = z.string().min(min, `must be at least ${min} character${min === 1 ? '' : 's'} long`).max(max, `must be at most ${max} characters long`);
  if (pattern) s = s.regex(pattern, `must match ${pattern.source}`);
  return s;
}

export const Rules = {
  /** Customer Profiles `name` (DomainName, EventStreamName). */
  customerProfilesName: text(1, 64, /^[a-zA-Z0-9_-]+$/),
  /** Customer Profiles `token`. */
  customerProfilesToken: text(1, 1024),
  /** Personalize `Arn`. */
  personalizeArn: text(1, 256, /^arn:([a-z\d-]+):personalize:.*:.*:.+$/),
  /** Personalize `NextToken`. */
  personalizeToken: text(0, 1500, /^[\x00-\x7F]*$/),
  /** Internet Monitor `EventId`. */
  internetEventId: text(1, 255, /^[a-zA-Z0-9-]+$/),
  /** Internet Monitor tokens have no modelled limit; we cap them so a cursor cannot carry a megabyte. */
  internetMonitorToken: text(1, 4096),
  /** AWS list page sizes (MaxResults / max-results / InternetEventMaxResults). */
  pageSize: z.number().int('must be an integer').min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100'),
} as const;

/** Checks `value` against `rule`; throws BAD_USER_INPUT naming `argument` and the rule. */
export function check<T>(argument: string, rule: z.ZodType<T>, value: unknown): T {
  const result = rule.safeParse(value);
  if (!result.success) throw badUserInput(argument, result.error.issues[0]?.message ?? 'is invalid');
  return result.data;
}

/** Control characters are never valid in any identifier we pass to AWS (path and header injection). */
const CONTROL = /[\x00-\x1F\x7F]/;

export function checkPersonalizeArn(argument: string, value: string, type: PersonalizeResourceType) {
  check(argument, Rules.personalizeArn, value);
  const arn = CONTROL.test(value) ? null : parsePersonalizeArn(value, type);
  if (!arn) {
    throw badUserInput(argument, `must be a Personalize ${type} ARN (arn:<partition>:personalize:<region>:<account>:${type}/<name>)`);
  }
  return arn;
}

export function checkEventStreamArn(argument: string, value: string) {
  const arn = CONTROL.test(value) ? null : parseEventStreamArn(value);
  if (!arn) {
    throw badUserInput(argument, 'must be an event stream ARN (arn:<partition>:profile:<region>:<account>:domains/<domain>/event-streams/<name>)');
  }
  return arn;
}

export function checkRegion(argument: string, value: string, allowed: ReadonlySet<string>): string {
  if (!allowed.has(value)) throw badUserInput(argument, 'must be an AWS region this gateway serves (e.g. us-east-1)');
  return value;
}

/** A `region` argument, or the default region; refused unless the gateway serves it. */
export function regionArgument(aws: { defaultRegion: string; allowedRegions: ReadonlySet<string> }, argument: string, value: string | null | undefined): string {
  if (value === null || value === undefined) return aws.defaultRegion;
  if (typeof value !== 'string' || value.length > 32) throw badUserInput(argument, 'must be an AWS region this gateway serves (e.g. us-east-1)');
  return checkRegion(argument, value, aws.allowedRegions);
}

export function checkPageSize(argument: string, value: number | null | undefined, fallback: number): number {
  return value === null || value === undefined ? fallback : check(argument, Rules.pageSize, value);
}
