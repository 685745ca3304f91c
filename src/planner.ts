import { isNotFound } from './errors.js';
import type { AwsPage } from './pagination.js';

type Outcome<T> = T | null | Error;

export interface ListOrGetPlan<T, K> {
  /** Keys wanted from one list (one domain, region, ...). */
  keys: readonly K[];
  /** The string id of a key, as `idOf` gives it for list items. */
  keyOf(key: K): string;
  /** The id of a list item, in the same form as `keyOf`. */
  idOf(item: T): string;
  listPage(token: string | undefined): Promise<AwsPage<T>>;
  getOne(key: K): Promise<T | null>;
  /** When a full walk of the list without an id proves it does not exist (no time window, no filter). */
  listIsExhaustive: boolean;
  /** Every item a page brought, wanted or not (priming). */
  onItem?(item: T): void;
}

/**
 * No API here has a batch Get, so many ids cost many calls, while one list page answers up to 100 at once. For two
 * or more ids, the first page is a bet that it holds at least two of them; each further page is fetched only while
 * the list has paid its way (at least one wanted id per page so far) and two or more ids are still missing. So a
 * plan never costs more than one call above "one Get per id", pages are walked only while they keep finding ids,
 * and listing stops as soon as every id is found. Ids a list did not return fall back to Gets (or are misses, when
 * the list is known to be exhaustive).
 */
export async function listOrGet<T, K>(plan: ListOrGetPlan<T, K>): Promise<Map<string, Outcome<T>>> {
  const results = new Map<string, Outcome<T>>();
  const byId = new Map(plan.keys.map((key) => [plan.keyOf(key), key]));
  const remaining = new Set(byId.keys());
  let pages = 0;
  // listOrGetMaxCalls() states this plan's bound; keep the two in step.
  let token: string | undefined;
  let exhausted = false;

  if (remaining.size >= 2) {
    try {
      for (;;) {
        const page = await plan.listPage(token);
        pages++;
        for (const item of page.items) {
          plan.onItem?.(item);
          const id = plan.idOf(item);
          if (remaining.delete(id)) results.set(id, item);
        }
        if (remaining.size === 0) break;
        if (!page.nextToken) {
          exhausted = true;
          break;
        }
        if (remaining.size < 2 || results.size < pages) break;
        token = page.nextToken;
      }
    } catch (error) {
      // The list's container (domain, dataset group) does not exist: neither do the ids in it.
      if (isNotFound(error) && plan.listIsExhaustive) {
        for (const id of remaining) results.set(id, null);
        return results;
      }
      // Any other failure is not final yet: the Gets below report per-id outcomes.
    }
  }

  if (exhausted && plan.listIsExhaustive) {
    for (const id of remaining) results.set(id, null);
    return results;
  }
  const left = await getEach(
    [...remaining].flatMap((id) => byId.get(id) ?? []),
    plan.keyOf,
    plan.getOne,
  );
  for (const [id, value] of left) results.set(id, value);
  return results;
}

/**
 * At most how many AWS calls `listOrGet` makes for `keys` ids of one list (empty cache): a list is bet on only for
 * two or more ids, and pages are read only while they pay their way, so never more than one above a Get per id. The
 * preflight's cost estimate uses this bound, so it follows the plan by construction.
 */
export function listOrGetMaxCalls(keys: number): number {
  return keys >= 2 ? keys + 1 : keys;
}

/** At most how many AWS calls `getEach` makes: one per id. */
export function getEachMaxCalls(keys: number): number {
  return keys;
}

/** Runs `load` per key and collects value, null or Error per key, by `keyOf`. */
export async function getEach<T, K>(
  keys: readonly K[],
  keyOf: (key: K) => string,
  load: (key: K) => Promise<T | null>,
): Promise<Map<string, Outcome<T>>> {
  const entries = await Promise.all(
    keys.map(async (key): Promise<[string, Outcome<T>]> => {
      try {
        return [keyOf(key), await load(key)];
      } catch (error) {
        return [keyOf(key), error instanceof Error ? error : new Error(String(error))];
      }
    }),
  );
  return new Map(entries);
}

export function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
