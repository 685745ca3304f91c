import type { ResourceTag } from './generated/graphql.js';

/** Helpers every module's mappers share: AWS shapes -> GraphQL shapes. */

/** AWS tag maps (`{k: v}`) become `[ResourceTag!]!`, sorted by key for stable output. */
export function toTags(tags: Record<string, string | undefined> | undefined | null): ResourceTag[] {
  if (!tags) return [];
  return Object.entries(tags)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** SDK timestamps arrive as Date; a missing or invalid one becomes null rather than an "Invalid Date". */
export function toDate(value: Date | string | number | undefined | null): Date | null {
  if (value === undefined || value === null) return null;
  const date = value instanceof Date ? value : new Date(typeof value === 'number' ? value * 1000 : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A string AWS documents as an enum, mapped to our enum or to `fallback` for values we do not know. AWS enums are
 * open (a service may add values at any time), so model mappers pass `'UNKNOWN'` and keep the raw string beside it.
 */
export function toEnum<T extends string, F = T>(
  value: string | undefined | null,
  allowed: readonly T[],
  fallback: F,
): T | F {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A number AWS may leave out: null rather than a made-up 0 when it is missing or not a finite number. */
export function toNumber(value: number | string | bigint | undefined | null): number | null {
  if (value === undefined || value === null || value === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
