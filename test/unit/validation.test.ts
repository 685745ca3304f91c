import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../../src/errors.js';
import { loadConfig } from '../../src/config.js';
import { Rules } from '../../src/modules/customer-profiles/rules.js';
import { checkPersonalizeArn as checkArn } from '../../src/modules/personalize/rules.js';
import { check, checkPageSize } from '../../src/validation.js';

const config = loadConfig('gateway', {});
const checkPersonalizeArn = (argument: string, value: string, type: 'event-tracker' | 'dataset-group') =>
  checkArn(config, argument, value, type);

function refusal(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a refusal');
}

describe('argument validation', () => {
  it('accepts names at the AWS limits and refuses one character more', () => {
    expect(check('name', Rules.name, 'a'.repeat(64))).toHaveLength(64);
    const error = refusal(() => check('name', Rules.name, 'a'.repeat(65)));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'name' });
    expect(error.message).toBe('Argument "name" must be at most 64 characters long.');
  });

  it('names the pattern a value broke without echoing the value', () => {
    const error = refusal(() => check('domainName', Rules.name, 'evil\n<script>'));
    expect(error.message).toContain('^[a-zA-Z0-9_-]+$');
    expect(error.message).not.toContain('script');
  });

  it('checks page sizes against the 1..100 range and applies the default', () => {
    expect(checkPageSize('first', undefined, 25)).toBe(25);
    expect(checkPageSize('first', 100, 25)).toBe(100);
    expect(refusal(() => checkPageSize('first', 101, 25)).message).toContain('between 1 and 100');
    expect(refusal(() => checkPageSize('first', 0, 25)).message).toContain('between 1 and 100');
  });

  it('refuses Personalize ARNs longer than 256 characters and of the wrong type', () => {
    const long = `arn:aws:personalize:us-east-1:123456789012:event-tracker/${'a'.repeat(250)}`;
    expect(refusal(() => checkPersonalizeArn('arn', long, 'event-tracker')).message).toContain('at most 256');
    expect(
      refusal(() =>
        checkPersonalizeArn('arn', 'arn:aws:personalize:us-east-1:123456789012:dataset-group/g', 'event-tracker'),
      ).message,
    ).toContain('event-tracker ARN');
  });
});
