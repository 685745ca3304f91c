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
  /** The replicas' write count (invalidation-bus.ts) when this replica last looked; undefined before it has. */
  private writesSeen: number | undefined;

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
    if (announced.status === 'fulfilled' && announced.value !== undefined) {
      // Another replica's write counted in between, not heard of yet: what this one keeps in memory may be stale.
      if (this.writesSeen !== undefined && announced.value !== this.writesSeen + 1) await this.forgetLocal();
      this.writesSeen = announced.value;
    }
    return { complete: stored.status === 'fulfilled' && announced.status === 'fulfilled' };
  }

  /**
   * Before a request reads this replica's memory: when the replicas' write count moved since this one last looked,
   * a write it has not heard of yet may have happened (its announcement can arrive after the read), so everything
   * it keeps in memory goes. One Redis GET per request, only where replicas share a Redis; with Redis out, the
   * announcements are all there is.
   */
  async catchUp(): Promise<void> {
    if (!this.bus) return;
    const count = await this.bus.writeCount();
    if (count === undefined) return;
    if (this.writesSeen !== undefined && count !== this.writesSeen) await this.forgetLocal();
    this.writesSeen = count;
  }

  private async forgetLocal(): Promise<void> {
    this.responses?.invalidate();
    await this.resources.forgetLocal();
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
