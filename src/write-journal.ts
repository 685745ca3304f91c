import { LRUCache } from 'lru-cache';
import { entryBound } from './cache/entry-bound.js';
import type { CacheStore } from './cache/store.js';

/** How long a write whose outcome is unknown is remembered: longer than any client waits before retrying it. */
const JOURNAL_TTL_MS = 15 * 60_000;

/**
 * Creates whose outcome the gateway does not know: the call was sent and then timed out or lost its connection, so
 * AWS may have done it. A repeat of the same create (same resource, same `fingerprint`: what was asked of it) that
 * finds the resource there is that create's own success, not a conflict with someone else's resource. Entries live in
 * the shared cache store (so a retry that lands on another replica knows too) and in this process, which covers a
 * gateway without a shared store.
 */
export class WriteJournal {
  private readonly local = new LRUCache<string, string>({ ...entryBound(10_000), ttl: JOURNAL_TTL_MS });

  constructor(private readonly store: CacheStore) {}

  async remember(key: string, fingerprint: string): Promise<void> {
    this.local.set(key, fingerprint);
    const entry = { v: fingerprint, x: Date.now() + JOURNAL_TTL_MS };
    // Best effort, like every store write: without it, a retry on another replica reads as a conflict.
    await this.store.put([{ key: `journal:${key}`, entry, ttlMs: JOURNAL_TTL_MS }]).catch(() => undefined);
  }

  /** Whether an earlier attempt of this very write ended with its outcome unknown; a hit is forgotten (used once). */
  async recall(key: string, fingerprint: string): Promise<boolean> {
    let found = this.local.get(key) === fingerprint;
    if (!found) {
      const [entry] = await this.store.getMany([`journal:${key}`]);
      found = entry !== undefined && entry.x > Date.now() && entry.v === fingerprint;
    }
    if (found) {
      this.local.delete(key);
      const expired = { v: null, x: 0 };
      await this.store.put([{ key: `journal:${key}`, entry: expired, ttlMs: 1 }]).catch(() => undefined);
    }
    return found;
  }
}
