/**
 * Timestamp encodings. Customer Profiles and Personalize use Smithy's default (epoch seconds as a
 * JSON number, fractions allowed); Internet Monitor marks its members `date-time` (RFC 3339).
 */

export function toEpochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** RFC 3339 in UTC, without a fraction when the instant is on a whole second (as AWS prints them). */
export function toRfc3339(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Lenient RFC 3339 parsing (offsets, any fraction length); `undefined` when it is not one. */
export function parseRfc3339(text: string): Date | undefined {
  if (!RFC3339.test(text)) return undefined;
  const ms = Date.parse(text.toUpperCase());
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
