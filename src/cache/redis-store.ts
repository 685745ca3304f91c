import { Redis } from 'ioredis';
import { type CacheEntry, type CacheStore, deserializeEntry, serializeEntry } from './store.js';

/**
 * Redis, for several gateway replicas sharing one cache. Keys expire in Redis itself (PX), so the cache stays
 * bounded by the TTLs; Redis's own maxmemory policy bounds it further. Redis trouble reads as a miss: requests then
 * go to AWS instead of failing.
 */
export class RedisStore implements CacheStore {
  readonly kind = 'redis' as const;
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'aws-events-graph:v1:',
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: true,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 500,
    });
    this.redis.on('error', (error) => this.onError(error));
  }

  async getMany(keys: readonly string[]) {
    if (keys.length === 0) return [];
    try {
      const values = await this.redis.mget(...keys.map((k) => this.prefix + k));
      return values.map((v) => (v === null ? undefined : safeDeserialize(v)));
    } catch (error) {
      this.onError(error);
      return keys.map(() => undefined);
    }
  }

  async set(key: string, entry: CacheEntry, ttlMs: number) {
    try {
      await this.redis.set(this.prefix + key, serializeEntry(entry), 'PX', Math.max(1, Math.round(ttlMs)));
    } catch (error) {
      this.onError(error);
    }
  }

  async clear() {
    // Only our own keys: the Redis may be shared with other applications.
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
      if (keys.length) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }

  async ping() {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close() {
    this.redis.disconnect();
  }
}

function safeDeserialize(text: string): CacheEntry | undefined {
  try {
    return deserializeEntry(text);
  } catch {
    return undefined;
  }
}
