import type { Metrics } from '../metrics.js';
import { randomUUID } from 'node:crypto';
import { type ResourceIdentity, identityKey, isListIdentity, listGroupOf } from '../resource/identity.js';
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
 * The key of the version that guards a cached value: the resource's own, or, for a list page, its list's (every
 * page of it, whatever its size and token). A write replaces the version (`invalidate`), and an entry counts only
 * while it carries the version current in the store.
 */
export function versionKeyOf(identity: ResourceIdentity): string {
  return `version:${identityKey(isListIdentity(identity) ? listGroupOf(identity) : identity)}`;
}

/** Versions are remembered this much longer than the longest entry lifetime (a fetch may end that much later). */
const VERSION_MARGIN_MS = 15 * 60_000;

/**
 * The cache shared by every request, in front of AWS. It answers from the store when it can, joins an AWS call
 * already in flight for the same resource (from any request), and otherwise lets the caller fetch the misses in
 * one batch. Entries live as long as the state they describe stays true (TtlPolicy).
 *
 * Writes make it coherent: `invalidate` gives the written resources (and the lists that may hold them) a new
 * version in the store, which every replica sharing it sees at once. Each entry records the version current
 * before its value was fetched, and is read (in the same round trip as its version) only while that version is
 * still current: so neither a value cached before the write, nor one fetched before it and stored after it (a
 * read racing the write, on any replica), is served after the write.
 */
export class ResourceCache {
  private readonly inflight = new Map<string, { promise: Promise<Outcome<unknown>>; versionKey: string }>();
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
    const versionKeys = resources.map(versionKeyOf);
    const type = resources[0]?.type ?? 'none';
    const results: Array<Outcome<T> | undefined> = new Array(resources.length);
    const now = Date.now();

    // One round trip: the entries (unless bypassed) and the versions that guard them, which fetched values carry.
    const versions = new Map<string, string | undefined>();
    if (this.enabled) {
      const distinct = [...new Set(versionKeys)];
      const read = options.bypass ? [] : keys;
      const got = await this.store.getMany([...read, ...distinct]);
      distinct.forEach((versionKey, i) => {
        const version = got[read.length + i];
        versions.set(versionKey, version && version.x > now ? (version.v as string) : undefined);
      });
      read.forEach((_key, i) => {
        const entry = got[i];
        if (
          entry &&
          entry.x > now &&
          entry.g === versions.get(versionKeys[i] as string) &&
          (entry.v === null || !options.accept || options.accept(entry.v as T))
        ) {
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
          pending.promise.then((value) => {
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
        const versionKey = versionKeyOf(identities.get(id) as ResourceIdentity);
        const promise: Promise<Outcome<unknown>> = settled.then((map) => map.get(id) ?? null);
        const flight = { promise, versionKey };
        this.inflight.set(key, flight);
        return { id, key, flight, version: versions.get(versionKey) };
      });
      const map = await settled;
      await Promise.all(
        mine.map(async ({ id, key, flight, version }) => {
          if (this.inflight.get(key) === flight) this.inflight.delete(key);
          const value = map.get(id) ?? null;
          const stored = value instanceof Error ? value : await this.write(id, value, isList, version);
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

  /**
   * After a write: every value guarded by these versions (`versionKeyOf` of the written resources and of the lists
   * that may hold them) stops counting, in the store (so on every replica sharing it) and for the calls in flight
   * here, which later requests no longer join. Resolves once the store holds the new versions; rejects when it
   * could not take them (Redis down).
   */
  async invalidate(versionKeys: readonly string[]): Promise<void> {
    this.forgetInflight(versionKeys);
    if (!this.enabled || versionKeys.length === 0) return;
    const ttlMs = this.policy.maxTtlMs + VERSION_MARGIN_MS;
    const entry: CacheEntry = { v: randomUUID(), x: Date.now() + ttlMs };
    await this.store.put(versionKeys.map((key) => ({ key, entry, ttlMs })));
  }

  /**
   * Another replica's write, announced (invalidation-bus.ts): calls in flight here for what it wrote are not joined
   * any more, and a store of this replica's own (memory) takes new versions too; a shared store already has them.
   */
  async invalidated(versionKeys: readonly string[]): Promise<void> {
    if (this.store.kind === 'memory') await this.invalidate(versionKeys);
    else this.forgetInflight(versionKeys);
  }

  /** Everything this replica keeps of its own: calls in flight are not joined, and a memory store is emptied. */
  async forgetLocal(): Promise<void> {
    this.inflight.clear();
    if (this.store.kind === 'memory') await this.store.clear();
  }

  private forgetInflight(versionKeys: readonly string[]): void {
    const forgotten = new Set(versionKeys);
    for (const [key, flight] of this.inflight) if (forgotten.has(flight.versionKey)) this.inflight.delete(key);
  }

  private async write<T extends object>(
    key: string,
    value: T | null,
    isList: boolean,
    version: string | undefined,
  ): Promise<T | null> {
    const ttlMs = this.policy.ttlMs(value, isList);
    const entry: CacheEntry =
      version === undefined ? { v: value, x: Date.now() + ttlMs } : { v: value, x: Date.now() + ttlMs, g: version };
    if (this.enabled && ttlMs > 0) await this.store.set(key, entry, ttlMs);
    return this.remember(value, entry.x);
  }

  private remember<T>(value: T | null, expiry: number): T | null {
    if (value && typeof value === 'object') this.expiries.set(value as object, expiry);
    return value;
  }
}
