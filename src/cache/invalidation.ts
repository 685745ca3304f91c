import type { ResourceIdentity } from '../resource/identity.js';
import type { InvalidationBus } from './invalidation-bus.js';
import { type ResourceCache, versionKeyOf } from './resource-cache.js';
import type { ResponseStore } from './response-cache.js';

export interface InvalidationOutcome {
  /** False when Redis could not take the new versions or the announcement (logged by the write's audit line). */
  complete: boolean;
}

/**
 * What a write calls once AWS has accepted it, so that no cache serves the old state afterwards: the resource
 * cache (the written resources, and the lists that may hold them, get new versions in the shared store; calls in
 * flight are not joined any more), this replica's whole-response cache, and, through Redis, every other replica's
 * memory (invalidation-bus.ts). It resolves when the shared store and the announcement are done, so a read sent
 * to any replica after the mutation's response finds the new state.
 */
export class CacheInvalidator {
  constructor(
    private readonly resources: ResourceCache,
    private readonly responses: ResponseStore | undefined,
    private readonly bus: InvalidationBus | undefined,
  ) {}

  /** `lists`: `listGroup`s of the lists that may hold the written resources (creations and deletions change them). */
  async invalidate(
    written: readonly ResourceIdentity[],
    lists: readonly ResourceIdentity[],
  ): Promise<InvalidationOutcome> {
    const versionKeys = [...new Set([...written, ...lists].map(versionKeyOf))];
    this.responses?.invalidate();
    const [stored, announced] = await Promise.allSettled([
      this.resources.invalidate(versionKeys),
      this.bus?.publish(versionKeys),
    ]);
    return { complete: stored.status === 'fulfilled' && announced.status === 'fulfilled' };
  }

  /** Another replica wrote: what this one keeps in memory of it goes. */
  async received(versionKeys: readonly string[]): Promise<void> {
    this.responses?.invalidate();
    await this.resources.invalidated(versionKeys);
  }

  /** Resolves once other replicas' announcements are heard (at once without Redis; bounded with it). */
  async ready(): Promise<boolean> {
    return this.bus ? this.bus.whenSubscribed() : true;
  }

  async close(): Promise<void> {
    await this.bus?.close();
  }
}
