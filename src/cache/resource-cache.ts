import type { Metrics } from '../metrics.js';
import { type ResourceIdentity, identityKey } from '../resource/identity.js';
import type { CacheEntry, CacheStore } from './store.js';
import type { TtlPolicy } from './ttl-policy.js';

export interface ResolveOptions<T> {
  /**
   * Skip stored entries; results are still written, refreshing the cache. A call already in flight for the same
   * resource is joined all the same: it has not answered yet, so its answer is as fresh as a new call's would be,
   * and a crowd of `no-cache` requests for one resource costs AWS one call, not one each.
   */
  bypass?: boolean;
  /** Whether a cached value is good enough, e.g. a complete model when the operation needs every field. */
  accept?: (value: T) => boolean;
  /** Requests wanting different levels of completeness must not join each other's in-flight calls. */
  level?: string;
  /** The entries are list pages (their lifetime is the list's, not a resource state's). */
  isList?: boolean;
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
    readonly policy: TtlPolicy,
    private readonly metrics?: Metrics,
  ) {}

  get enabled(): boolean {
    return this.store.kind !== 'none';
  }

  /**
   * Values for `resources` in order. Misses are fetched by `fetch` in one call; it returns a value, null (does not
   * exist) or an Error per resource, by identity key. Errors are never cached. Keys are the resources' identities,
   * account and partition included: deployments of different accounts can share one store.
   */
  async resolve<T extends object>(
    resources: readonly ResourceIdentity[],
    options: ResolveOptions<T>,
    fetch: (missing: ResourceIdentity[]) => Promise<Map<string, Outcome<T>>>,
  ): Promise<Array<Outcome<T>>> {
    const level = options.level ?? 'any';
    const isList = options.isList ?? false;
    const keys = resources.map(identityKey);
    const type = resources[0]?.type ?? 'none';
    const results: Array<Outcome<T> | undefined> = new Array(resources.length);
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
    const identities = new Map<string, ResourceIdentity>();
    keys.forEach((id, i) => {
      if (results[i] !== undefined) {
        this.metrics?.cacheRequests.inc({ type, result: 'hit' });
        return;
      }
      const pending =
        this.inflight.get(`${level}:${id}`) ?? (level !== 'full' ? this.inflight.get(`full:${id}`) : undefined);
      if (pending) {
        this.metrics?.inflightShared.inc({ type });
        joins.push(
          pending.then((value) => {
            results[i] = value as Outcome<T>;
          }),
        );
        return;
      }
      this.metrics?.cacheRequests.inc({ type, result: options.bypass ? 'bypass' : 'miss' });
      const positions = toFetch.get(id);
      if (positions) positions.push(i);
      else {
        toFetch.set(id, [i]);
        identities.set(id, resources[i] as ResourceIdentity);
      }
    });

    if (toFetch.size > 0) {
      const missing = [...toFetch.keys()];
      const fetched = fetch([...identities.values()]);
      const settled = fetched.then(
        (map) => map,
        (error: unknown) =>
          new Map(missing.map((id) => [id, error instanceof Error ? error : new Error(String(error))])),
      );
      const mine = missing.map((id) => {
        const key = `${level}:${id}`;
        const promise: Promise<Outcome<unknown>> = settled.then((map) => map.get(id) ?? null);
        this.inflight.set(key, promise);
        return { id, key, promise };
      });
      const map = await settled;
      await Promise.all(
        mine.map(async ({ id, key, promise }) => {
          if (this.inflight.get(key) === promise) this.inflight.delete(key);
          const value = map.get(id) ?? null;
          const stored = value instanceof Error ? value : await this.write(id, value, isList);
          for (const i of toFetch.get(id) ?? []) results[i] = stored;
        }),
      );
    }
    await Promise.all(joins);
    return results as Array<Outcome<T>>;
  }

  /** One list page through the cache (short-lived: lists change whenever resources are created or deleted). */
  async list<T extends object>(page: ResourceIdentity, bypass: boolean, fetch: () => Promise<T>): Promise<T> {
    const key = identityKey(page);
    const [value] = await this.resolve<T>(
      [page],
      { bypass, isList: true },
      async () => new Map([[key, await fetch()]]),
    );
    if (value instanceof Error) throw value;
    return value as T;
  }

  /** Seconds a model handed out by this cache stays fresh: the basis of the response's cache hints. */
  maxAgeOf(value: object | null): number {
    const expiry = value ? this.expiries.get(value) : undefined;
    const ttlMs = expiry !== undefined ? expiry - Date.now() : this.policy.ttlMs(value);
    return Math.max(0, Math.floor(ttlMs / 1000));
  }

  /** Seconds a list page stays fresh when nothing on it is shorter-lived. */
  get listMaxAge(): number {
    return Math.floor(this.policy.ttlMs(null, true) / 1000);
  }

  private async write<T extends object>(key: string, value: T | null, isList: boolean): Promise<T | null> {
    const ttlMs = this.policy.ttlMs(value, isList);
    const entry: CacheEntry = { v: value, x: Date.now() + ttlMs };
    if (this.enabled && ttlMs > 0) await this.store.set(key, entry, ttlMs);
    return this.remember(value, entry.x);
  }

  private remember<T>(value: T | null, expiry: number): T | null {
    if (value && typeof value === 'object') this.expiries.set(value as object, expiry);
    return value;
  }
}
