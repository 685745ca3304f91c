import type { Metrics } from '../metrics.js';
import type { CacheEntry, CacheStore } from './store.js';
import { type CachedType, TtlPolicy } from './ttl-policy.js';

export interface ResolveOptions<T> {
  /** Skip reads (and joining in-flight calls); results are still written, refreshing the cache. */
  bypass?: boolean;
  /** Whether a cached value is good enough, e.g. a complete model when the operation needs every field. */
  accept?: (value: T) => boolean;
  /** Requests wanting different levels of completeness must not join each other's in-flight calls. */
  level?: string;
}

type Outcome<T> = T | null | Error;

/**
 * The cache shared by every request, in front of AWS. It answers from the store when it can, joins an AWS call
 * already in flight for the same resource (from any request), and otherwise lets the caller fetch the misses in
 * one batch. Entries live as long as the state they describe stays true (TtlPolicy).
 */
export class ResourceCache {
  private readonly inflight = new Map<string, Promise<Outcome<unknown>>>();
  private readonly expiries = new WeakMap<object, number>();

  constructor(
    readonly store: CacheStore,
    readonly policy: TtlPolicy = new TtlPolicy(),
    private readonly metrics?: Metrics,
  ) {}

  get enabled(): boolean {
    return this.store.kind !== 'none';
  }

  /**
   * Values for `ids` in order. Misses are fetched by `fetch` in one call; it returns a value, null (does not exist)
   * or an Error per id. Errors are never cached.
   */
  async resolve<T extends object>(
    type: CachedType,
    ids: readonly string[],
    options: ResolveOptions<T>,
    fetch: (ids: string[]) => Promise<Map<string, Outcome<T>>>,
  ): Promise<Array<Outcome<T>>> {
    const level = options.level ?? 'any';
    const keys = ids.map((id) => `${type}:${id}`);
    const results: Array<Outcome<T> | undefined> = new Array(ids.length);
    const now = Date.now();

    if (this.enabled && !options.bypass) {
      const entries = await this.store.getMany(keys);
      entries.forEach((entry, i) => {
        if (entry && entry.x > now && (entry.v === null || !options.accept || options.accept(entry.v as T))) {
          results[i] = this.remember(entry.v as T | null, entry.x);
        }
      });
    }

    const joins: Array<Promise<void>> = [];
    const toFetch = new Map<string, number[]>();
    ids.forEach((id, i) => {
      if (results[i] !== undefined) {
        this.metrics?.cacheRequests.inc({ type, result: 'hit' });
        return;
      }
      const pending = options.bypass ? undefined : (this.inflight.get(`${level}:${keys[i]}`) ?? (level !== 'full' ? this.inflight.get(`full:${keys[i]}`) : undefined));
      if (pending) {
        this.metrics?.inflightShared.inc({ type });
        joins.push(pending.then((value) => void (results[i] = value as Outcome<T>)));
        return;
      }
      this.metrics?.cacheRequests.inc({ type, result: options.bypass ? 'bypass' : 'miss' });
      const positions = toFetch.get(id);
      if (positions) positions.push(i);
      else toFetch.set(id, [i]);
    });

    if (toFetch.size > 0) {
      const missing = [...toFetch.keys()];
      const fetched = fetch(missing);
      const settled = fetched.then(
        (map) => map,
        (error: unknown) => new Map(missing.map((id) => [id, error instanceof Error ? error : new Error(String(error))])),
      );
      const mine = missing.map((id) => {
        const key = `${level}:${type}:${id}`;
        const promise: Promise<Outcome<unknown>> = settled.then((map) => map.get(id) ?? null);
        this.inflight.set(key, promise);
        return { id, key, promise };
      });
      const map = await settled;
      await Promise.all(
        mine.map(async ({ id, key, promise }) => {
          if (this.inflight.get(key) === promise) this.inflight.delete(key);
          const value = map.get(id) ?? null;
          const stored = value instanceof Error ? value : await this.write(type, id, value);
          for (const i of toFetch.get(id)!) results[i] = stored;
        }),
      );
    }
    await Promise.all(joins);
    return results as Array<Outcome<T>>;
  }

  /** One list page through the cache (short-lived: lists change whenever resources are created or deleted). */
  async list<T extends object>(id: string, bypass: boolean, fetch: () => Promise<T>): Promise<T> {
    const [page] = await this.resolve<T>('List', [id], { bypass }, async (ids) => new Map([[ids[0]!, await fetch()]]));
    if (page instanceof Error) throw page;
    return page as T;
  }

  /** Puts a value learned elsewhere (a list page) into the cache. */
  async prime<T extends object>(type: CachedType, id: string, value: T): Promise<void> {
    if (this.enabled) await this.write(type, id, value);
  }

  /** Seconds a model handed out by this cache stays fresh: the basis of the response's cache hints. */
  maxAgeOf(type: CachedType, value: object | null): number {
    const expiry = value ? this.expiries.get(value) : undefined;
    const ttlMs = expiry !== undefined ? expiry - Date.now() : this.policy.ttlMs(type, value);
    return Math.max(0, Math.floor(ttlMs / 1000));
  }

  private async write<T extends object>(type: CachedType, id: string, value: T | null): Promise<T | null> {
    const ttlMs = this.policy.ttlMs(type, value);
    const entry: CacheEntry = { v: value, x: Date.now() + ttlMs };
    if (this.enabled && ttlMs > 0) await this.store.set(`${type}:${id}`, entry, ttlMs);
    return this.remember(value, entry.x);
  }

  private remember<T>(value: T | null, expiry: number): T | null {
    if (value && typeof value === 'object') this.expiries.set(value as object, expiry);
    return value;
  }
}
