import { badUserInput } from '../errors.js';

/**
 * Defence in depth for the values that end up in AWS request paths and bodies: whatever the field, no argument of
 * this API (names, ARNs, ids, regions, cursors, dates) legitimately holds path segments (`..`, `//`, `\`),
 * percent-encoding, control or invisible characters, or anything outside printable ASCII. The modules check each
 * argument against AWS's own patterns; this screen refuses the tricks wholesale, before any resolver runs, including
 * in nested input values such as federation representations. The preflight's walk runs it on every field.
 */

const HOSTILE = /\.\.|%|\\|\/\/|[^\x20-\x7E]/;
const MAX_NESTING = 16;

type Finding = { argument: string; rule: string };

function screen(value: unknown, argument: string, depth = 0): Finding | null {
  if (typeof value === 'string') {
    return HOSTILE.test(value)
      ? {
          argument,
          rule: 'must not contain path segments (.., //, \\), percent-encoding, control characters or non-ASCII characters',
        }
      : null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth >= MAX_NESTING) return { argument, rule: `must not nest deeper than ${MAX_NESTING} levels` };
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, item] of entries) {
    if (!Array.isArray(value) && HOSTILE.test(key))
      return { argument, rule: 'must not have keys with path segments, percent-encoding or control characters' };
    const found = screen(item, Array.isArray(value) ? `${argument}[${key}]` : `${argument}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/** BAD_USER_INPUT for a hostile value anywhere in an argument (nested input values included), or null. */
export function screenArgument(value: unknown, argument: string): Error | null {
  const found = screen(value, argument);
  return found ? badUserInput(found.argument, found.rule) : null;
}
