/**
 * DataLoader's batch contract: one result per key, same order, and a per-key Error instead of rejecting the whole
 * batch, so one failing resource nulls one field and leaves the others their data.
 */
export function settle<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<Array<V | Error>> {
  return Promise.all(keys.map((key) => load(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
}
