/**
 * The fewest AWS calls the APIs allow for an operation, derived from the data.
 *
 * None of the three services has a batch Get, so each resource costs one Get/Describe unless a list call answers it.
 * A list call returns one page (at most 100 items, in the service's order) and pages can only be read in order from
 * the first, so for a group of keys that one list covers the options are: read the first k pages, then Get every key
 * those pages did not contain. The minimum for the group is therefore
 *
 *   |keys needing details| + min over k of ( k + |summary-only keys lying on page k or later| )
 *
 * where "needing details" means the operation asks for a field list summaries lack (they must be fetched one by
 * one whatever else happens), k starts at the pages a connection field over the same list needs anyway, and
 * k = 0 is "Get them all". Resources no list can answer (dataset groups) cost one Describe each. Duplicate keys
 * count once. Only operations the gateway's IAM policy allows are considered.
 */

export interface DemandKey {
  /** The resource's id within its group: `region/domain/name`, an ARN or an internet event id. */
  id: string;
  /** The operation asks for fields that the list summaries of this group lack. */
  details?: boolean;
}

export interface DemandGroup {
  /** What the group is, for the report: e.g. `event streams of us-east-1/retail-customers-0000`. */
  label: string;
  /** `service:Operation` fetching one key. */
  getOperation: string;
  /** `service:Operation` of the list that can answer summary fields, if any. */
  listOperation?: string;
  /** Which list (see ListOrders): a container such as a domain or a region, with no filter. */
  listId?: string;
  /** Every reference the operation makes, duplicates included. */
  keys: DemandKey[];
  /** Pages of the list the operation reads anyway (a connection field over the same list, from its start). */
  forcedPages?: number;
}

/** For each list (by listId): the page (0-based, 100 items per page) each item id appears on. */
export type ListOrders = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface GroupMinimum {
  label: string;
  references: number;
  distinct: number;
  detailed: number;
  /** The best plan: list pages read, then Gets. */
  listPages: number;
  gets: number;
  calls: number;
  byOperation: Record<string, number>;
  /** One line explaining the derivation. */
  explanation: string;
}

export interface OperationMinimum {
  total: number;
  byOperation: Record<string, number>;
  groups: GroupMinimum[];
}

export function minimumForGroup(group: DemandGroup, orders: ListOrders): GroupMinimum {
  const detailed = new Set<string>();
  const all = new Set<string>();
  for (const key of group.keys) {
    all.add(key.id);
    if (key.details) detailed.add(key.id);
  }
  const summaryOnly = [...all].filter((id) => !detailed.has(id));
  const forced = group.forcedPages ?? 0;

  let bestPages = forced;
  let bestGets = summaryOnly.length;
  let pagesText = '';
  if (group.listOperation) {
    const order = group.listId ? orders.get(group.listId) : undefined;
    if (!order) throw new Error(`No list order for ${group.listId ?? group.label}: walk it before deriving minimums`);
    // A key a full list walk never returns can only be fetched with a Get.
    const pageOf = summaryOnly.map((id) => order.get(id) ?? Number.POSITIVE_INFINITY);
    const lastPage = Math.max(-1, ...pageOf.filter(Number.isFinite));
    const gets = (k: number) => pageOf.filter((p) => p >= k).length;
    bestGets = gets(forced);
    for (let k = forced; k <= Math.max(forced, lastPage + 1); k++) {
      if (k + gets(k) < bestPages + bestGets) {
        bestPages = k;
        bestGets = gets(k);
      }
    }
    const pagesUsed = [...new Set(pageOf.filter(Number.isFinite))].sort((a, b) => a - b);
    pagesText = summaryOnly.length
      ? `; summary-only keys lie on list page${pagesUsed.length === 1 ? '' : 's'} ${pagesUsed.map((p) => p + 1).join(', ')}`
      : '';
  }
  const byOperation: Record<string, number> = {};
  const add = (op: string | undefined, n: number) => {
    if (op && n > 0) byOperation[op] = (byOperation[op] ?? 0) + n;
  };
  add(group.listOperation, bestPages);
  add(group.getOperation, detailed.size + bestGets);
  const calls = bestPages + detailed.size + bestGets;

  const parts = [`${group.keys.length} reference${group.keys.length === 1 ? '' : 's'}, ${all.size} distinct`];
  if (detailed.size)
    parts.push(
      `${detailed.size} ${detailed.size === 1 ? 'needs' : 'need'} fields list summaries lack (one ${shortOp(group.getOperation)} each)`,
    );
  if (forced) parts.push(`a connection reads ${forced} list page${forced === 1 ? '' : 's'}`);
  const plan =
    bestPages > 0
      ? `${bestPages} ${shortOp(group.listOperation!)} page${bestPages === 1 ? '' : 's'}${bestGets ? ` + ${bestGets} ${shortOp(group.getOperation)}` : ''}`
      : `${bestGets + detailed.size} ${shortOp(group.getOperation)}`;
  return {
    label: group.label,
    references: group.keys.length,
    distinct: all.size,
    detailed: detailed.size,
    listPages: bestPages,
    gets: detailed.size + bestGets,
    calls,
    byOperation,
    explanation: `${parts.join('; ')}${pagesText} => ${plan} = ${calls}`,
  };
}

export function minimumForOperation(groups: readonly DemandGroup[], orders: ListOrders): OperationMinimum {
  const results = groups.map((g) => minimumForGroup(g, orders));
  const byOperation: Record<string, number> = {};
  for (const r of results)
    for (const [op, n] of Object.entries(r.byOperation)) byOperation[op] = (byOperation[op] ?? 0) + n;
  return { total: results.reduce((sum, r) => sum + r.calls, 0), byOperation, groups: results };
}

function shortOp(op: string): string {
  return op.slice(op.indexOf(':') + 1);
}
