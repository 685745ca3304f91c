import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedRedis } from './redis-store.js';

/** What one replica tells the others after a write: the versions it replaced (resource-cache.ts). */
interface InvalidationMessage {
  from: string;
  versionKeys: string[];
}

/** A message larger than this is not ours (the keys of one write are a few hundred bytes). */
const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * Cache invalidations between gateway replicas that share one Redis, by Redis pub/sub: a replica that wrote
 * publishes the versions it replaced on the shared connection, and every other replica, subscribed on a
 * connection of its own (a subscribed Redis connection can do nothing else), forgets what it keeps in memory of
 * them: its whole-response cache, its calls in flight, and its memory store when the resource cache is not Redis.
 * The shared store itself needs no message: the new versions are in it. Redis trouble degrades like everything
 * else on it: a failed publish is reported to the caller, and the subscriber reconnects and resubscribes by itself.
 */
export class InvalidationBus {
  readonly replicaId = randomUUID();
  private readonly subscriber: Redis;
  private closed = false;
  private subscribed = false;

  constructor(
    private readonly redis: SharedRedis,
    private readonly channel: string,
    onInvalidated: (versionKeys: string[]) => void,
    onError: (error: unknown) => void = () => undefined,
  ) {
    // Its own connection, with the shared one's settings; subscribing again on every (re)connect is harmless.
    this.subscriber = redis.client.duplicate({
      lazyConnect: false,
      enableOfflineQueue: true,
      commandTimeout: undefined,
    });
    this.subscriber.on('error', onError);
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).then(() => {
        this.subscribed = true;
      }, onError);
    });
    this.subscriber.on('close', () => {
      this.subscribed = false;
    });
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.channel || text.length > MAX_MESSAGE_BYTES) return;
      const message = parseMessage(text);
      if (message && message.from !== this.replicaId) onInvalidated(message.versionKeys);
    });
  }

  /**
   * Resolves once the subscription is live, or after `timeoutMs`, or at once while Redis is unavailable (a Redis that
   * is down must not hold the start; the subscriber connects by itself when it is back).
   */
  async whenSubscribed(timeoutMs = 1_000): Promise<boolean> {
    if (!this.redis.available) return this.subscribed;
    const deadline = Date.now() + timeoutMs;
    // Bounded: at most timeoutMs / 10 checks.
    while (Date.now() < deadline) {
      if (this.subscribed) return true;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return false;
  }

  /**
   * Tells the other replicas, and counts the write in the shared write count (`writeCount`); resolves to the count
   * after this write. Rejects when Redis is unavailable (the caller reports it).
   */
  async publish(versionKeys: readonly string[]): Promise<number | undefined> {
    if (versionKeys.length === 0) return undefined;
    const message: InvalidationMessage = { from: this.replicaId, versionKeys: [...versionKeys] };
    const replies = await this.redis.run((client) =>
      client.multi().incr(this.countKey).publish(this.channel, JSON.stringify(message)).exec(),
    );
    const count = replies?.[0]?.[1];
    return typeof count === 'number' ? count : undefined;
  }

  /**
   * The number of writes every replica has announced so far. A message on the channel reaches another replica a
   * moment after the write's answer, and a read sent at once may come first: a replica that reads this count before
   * answering from its memory knows whether a write it has not heard of yet happened. Undefined while Redis is out.
   */
  async writeCount(): Promise<number | undefined> {
    try {
      const text = await this.redis.run((client) => client.get(this.countKey));
      return text === null ? 0 : Number(text);
    } catch {
      return undefined;
    }
  }

  private get countKey(): string {
    return `${this.channel}:count`;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscriber.disconnect();
  }
}

function parseMessage(text: string): InvalidationMessage | null {
  try {
    const value = JSON.parse(text) as Partial<InvalidationMessage>;
    if (typeof value.from !== 'string' || !Array.isArray(value.versionKeys)) return null;
    const versionKeys = value.versionKeys.filter((k): k is string => typeof k === 'string' && k.startsWith('version:'));
    return { from: value.from, versionKeys };
  } catch {
    return null;
  }
}
