import { serviceError } from './aws-errors.js';
import type { ServiceId } from './services.js';

/**
 * Collects input constraint violations and reports them the way AWS services do: every violation
 * in one message, e.g. "2 validation errors detected: Value 'x y' at 'domainName' failed to
 * satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9_-]+$; ...".
 * Member names are the model's members in lowerCamelCase, as in AWS's messages.
 */
export class InputValidator {
  private readonly violations: string[] = [];

  constructor(private readonly service: ServiceId) {}

  /** Checks a required or optional string member; returns it when it is a string. */
  string(
    member: string,
    value: unknown,
    rules: { required?: boolean; min?: number; max?: number; pattern?: RegExp; oneOf?: readonly string[] },
  ): string | undefined {
    if (value === undefined || value === null) {
      if (rules.required)
        this.violations.push(`Value null at '${member}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.fail(member, value, 'Member must be a string');
      return undefined;
    }
    if (rules.min !== undefined && value.length < rules.min) {
      this.fail(member, value, `Member must have length greater than or equal to ${rules.min}`);
    }
    if (rules.max !== undefined && value.length > rules.max) {
      this.fail(member, value, `Member must have length less than or equal to ${rules.max}`);
    }
    if (rules.pattern && value.length > 0 && !rules.pattern.test(value)) {
      this.fail(member, value, `Member must satisfy regular expression pattern: ${rules.pattern.source}`);
    }
    if (rules.oneOf && !rules.oneOf.includes(value)) {
      this.fail(member, value, `Member must satisfy enum value set: [${rules.oneOf.join(', ')}]`);
    }
    return value;
  }

  /** Checks an optional integer member that may arrive as a query string or a JSON number. */
  integer(member: string, value: unknown, range: { min: number; max: number }): number | undefined {
    if (value === undefined || value === null) return undefined;
    const parsed = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof parsed !== 'number' || !Number.isInteger(parsed)) {
      this.fail(member, value, 'Member must be an integer');
      return undefined;
    }
    if (parsed < range.min) this.fail(member, parsed, `Member must have value greater than or equal to ${range.min}`);
    if (parsed > range.max) this.fail(member, parsed, `Member must have value less than or equal to ${range.max}`);
    return parsed;
  }

  fail(member: string, value: unknown, constraint: string): void {
    this.violations.push(`Value '${String(value)}' at '${member}' failed to satisfy constraint: ${constraint}`);
  }

  /** Throws the service's own validation error when anything failed. */
  throwIfInvalid(): void {
    const count = this.violations.length;
    if (count === 0) return;
    const noun = count === 1 ? 'validation error' : 'validation errors';
    throw serviceError(this.service, 'validation', `${count} ${noun} detected: ${this.violations.join('; ')}`);
  }
}
