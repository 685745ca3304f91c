/** A cached lookup result: the model (or null for "AWS says it does not exist") and when it expires. */
export interface CacheEntry {
  v: unknown;
  /** Expiry, epoch milliseconds. */
  x: number;
  /**
   * The version of the resource (or of its list) seen before the value was fetched; a write changes the version,
   * so the entry no longer counts (resource-cache.ts). Absent while the resource has never been written.
   */
  g?: string;
}

/**
 * Where shared cache entries live. Stores are best-effort: a failing store reads as a miss and a failed write is
 * dropped, so the cache can slow the gateway down to "no cache" but never break a request.
 */
export interface CacheStore {
  readonly kind: 'memory' | 'redis' | 'none';
  getMany(keys: readonly string[]): Promise<Array<CacheEntry | undefined>>;
  set(key: string, entry: CacheEntry, ttlMs: number): Promise<void>;
  /**
   * Writes every entry and resolves once they are stored (unlike `set`, whose writes may be left unawaited), or
   * rejects when the store could not take them: what cache invalidation after a write waits for.
   */
  put(entries: ReadonlyArray<{ key: string; entry: CacheEntry; ttlMs: number }>): Promise<void>;
  clear(): Promise<void>;
  /** True when the store can serve (always for memory). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A store that keeps nothing: caching off. */
export class NoStore implements CacheStore {
  readonly kind = 'none' as const;
  async getMany(keys: readonly string[]) {
    return keys.map(() => undefined);
  }
  async set() {}
  async put() {}
  async clear() {}
  async ping() {
    return true;
  }
  async close() {}
}

/** JSON that round-trips the Date members of our models. */
export function serializeEntry(entry: CacheEntry): string {
  return JSON.stringify(entry, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Date ? { $d: raw.getTime() } : value;
  });
}

export function deserializeEntry(text: string): CacheEntry {
  return JSON.parse(text, (_key, value) =>
    value && typeof value === 'object' && typeof value.$d === 'number' && Object.keys(value).length === 1
      ? new Date(value.$d)
      : value,
  ) as CacheEntry;
}
