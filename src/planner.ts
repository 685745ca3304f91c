import { isNotFound } from './aws/errors.js';
import type { AwsPage } from './pagination.js';

type Outcome<T> = T | null | Error;

export interface ListOrGetPlan<T> {
  /** Ids wanted from one list (one domain, region, ...). */
  ids: readonly string[];
  /** The id of a list item, in the same form as `ids`. */
  idOf(item: T): string;
  listPage(token: string | undefined): Promise<AwsPage<T>>;
  getOne(id: string): Promise<T | null>;
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
export async function listOrGet<T>(plan: ListOrGetPlan<T>): Promise<Map<string, Outcome<T>>> {
  const results = new Map<string, Outcome<T>>();
  const remaining = new Set(plan.ids);
  let pages = 0;
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
  await Promise.all(
    [...remaining].map(async (id) => {
      try {
        results.set(id, await plan.getOne(id));
      } catch (error) {
        results.set(id, error instanceof Error ? error : new Error(String(error)));
      }
    }),
  );
  return results;
}

/** Runs `load` per id and collects value, null or Error per id. */
export async function getEach<T>(ids: readonly string[], load: (id: string) => Promise<T | null>): Promise<Map<string, Outcome<T>>> {
  const entries = await Promise.all(
    ids.map(async (id): Promise<[string, Outcome<T>]> => {
      try {
        return [id, await load(id)];
      } catch (error) {
        return [id, error instanceof Error ? error : new Error(String(error))];
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
