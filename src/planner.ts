import { LRUCache } from 'lru-cache';
import { ENTRY_OVERHEAD_BYTES, stringHeapBytes } from './cache/memory-store.js';
import { isNotFound } from './errors.js';
import type { AwsPage } from './pagination.js';

type Outcome<T> = T | null | Error;

/** How long a remembered first page steers plans: lists change, and a plan that skips a list never sees it again. */
const FIRST_PAGE_TTL_MS = 5 * 60_000;
const ID_OVERHEAD_BYTES = 48;

/**
 * Which ids each list's first page held when it was last read, per process and bounded in bytes (ids counted). It
 * only steers plans (which ids to Get at once, beside the list, and whether listing pays at all); every answer still
 * comes from a call made for it, so a stale memo costs a call, never a wrong answer. Keys name the list with its
 * partition and account.
 */
export class FirstPageMemo {
  private readonly lists: LRUCache<string, FirstPage>;

  constructor(maxBytes = 4 * 1024 * 1024) {
    this.lists = new LRUCache<string, FirstPage>({
      maxSize: maxBytes,
      ttl: FIRST_PAGE_TTL_MS,
      sizeCalculation: (page, key) => {
        let bytes = ENTRY_OVERHEAD_BYTES + stringHeapBytes(key);
        for (const id of page.ids) bytes += ID_OVERHEAD_BYTES + stringHeapBytes(id);
        return bytes;
      },
    });
  }

  get(listKey: string): FirstPage | undefined {
    return this.lists.get(listKey);
  }

  set(listKey: string, page: FirstPage): void {
    this.lists.set(listKey, page);
  }

  /** Estimated bytes held. */
  get bytes(): number {
    return this.lists.calculatedSize;
  }

  get size(): number {
    return this.lists.size;
  }

  clear(): void {
    this.lists.clear();
  }
}

/** What a list's first page held: its items' ids, and whether it was the whole list (no next page). */
export interface FirstPage {
  ids: ReadonlySet<string>;
  complete: boolean;
}

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
  /** Where the ids of first pages are remembered, and this list's key there (its partition and account in it). */
  firstPages?: { memo: FirstPageMemo; listKey: string };
}

/**
 * No API here has a batch Get, so many ids cost many calls, while one list page answers up to 100 at once. For two
 * or more ids, the list's first page is a bet that it holds at least two of them; ids it did not return are then
 * fetched with parallel Gets (or are misses, when the page was the whole list and the list is exhaustive). Later
 * pages are never walked: a plan takes at most two sequential rounds of calls, whatever the list's length, and
 * never costs more than one call above "one Get per id".
 *
 * Once a list's first page has been read, its ids are remembered (FirstPageMemo): when the list was longer than
 * that page, the next plan over it Gets the ids the page did not hold at once, beside the list page, and skips the
 * list when it would hold fewer than two of the ids wanted. Such a plan takes one round; only ids the memo placed
 * on the page that are no longer there cost a second one. (A list that fit on one page is simply read again: it
 * answers every id, found or missing, in one round.)
 */
export async function listOrGet<T, K>(plan: ListOrGetPlan<T, K>): Promise<Map<string, Outcome<T>>> {
  const byId = new Map(plan.keys.map((key) => [plan.keyOf(key), key]));
  const getAll = (ids: Iterable<string>) =>
    getEach(
      [...ids].flatMap((id) => byId.get(id) ?? []),
      plan.keyOf,
      plan.getOne,
    );
  // listOrGetMaxCalls() states this plan's bound; keep the two in step.
  if (byId.size < 2) return getAll(byId.keys());

  const memo = plan.firstPages;
  const remembered = memo?.memo.get(memo.listKey);
  let early: Promise<Map<string, Outcome<T>>> | undefined;
  const remaining = new Set(byId.keys());
  // A list that was one page answers every id, found or missing, with one call: nothing to steer.
  if (remembered && !(remembered.complete && plan.listIsExhaustive)) {
    const onFirstPage = [...remaining].filter((id) => remembered.ids.has(id));
    if (onFirstPage.length < 2) return getAll(remaining);
    const elsewhere = [...remaining].filter((id) => !remembered.ids.has(id));
    for (const id of elsewhere) remaining.delete(id);
    if (elsewhere.length > 0) early = getAll(elsewhere);
  }

  const results = new Map<string, Outcome<T>>();
  let exhausted = false;
  try {
    const page = await plan.listPage(undefined);
    const seen = new Set<string>();
    for (const item of page.items) {
      plan.onItem?.(item);
      const id = plan.idOf(item);
      seen.add(id);
      if (remaining.delete(id)) results.set(id, item);
    }
    exhausted = !page.nextToken;
    memo?.memo.set(memo.listKey, { ids: seen, complete: exhausted });
  } catch (error) {
    // The list's container (domain, dataset group) does not exist: neither do the ids in it.
    if (isNotFound(error) && plan.listIsExhaustive) exhausted = true;
    // Any other failure is not final yet: the Gets below report per-id outcomes.
  }

  let late: Map<string, Outcome<T>> | undefined;
  if (exhausted && plan.listIsExhaustive) for (const id of remaining) results.set(id, null);
  else if (remaining.size > 0) late = await getAll(remaining);
  for (const [id, value] of late ?? []) results.set(id, value);
  for (const [id, value] of (await early) ?? []) results.set(id, value);
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
