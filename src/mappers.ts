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

/** A string AWS documents as an enum, mapped to our enum or to `fallback` for values we do not know. */
export function toEnum<T extends string, F = T>(
  value: string | undefined | null,
  allowed: readonly T[],
  fallback: F,
): T | F {
  return value && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}
