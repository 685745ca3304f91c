import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { entryBound } from '../cache/entry-bound.js';
import type { SharedRedis } from '../cache/redis-store.js';

export interface BucketSettings {
  /** Tokens added per second; 0: no limit. */
  perSecond: number;
  /** Tokens a bucket holds at most (and starts with). */
  burst: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

const OK: TakeResult = { ok: true };

/**
 * The token bucket in Redis: one atomic script per take, on Redis's own clock (replicas' clocks may differ), the
 * bucket a hash that expires once it would be full again. Returns {allowed (1/0), milliseconds until `cost`
 * tokens are there}.
 */
const SCRIPT = `
if redis.replicate_commands then redis.replicate_commands() end
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then tokens = math.min(burst, tokens + (now - at) * rate / 1000) end
local allowed = 0
local wait = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return { allowed, wait }
`;
const SCRIPT_SHA = createHash('sha1').update(SCRIPT).digest('hex');

/** Buckets remembered in memory; the least recently used go first (a forgotten bucket starts full). */
const LOCAL_BUCKETS = 50_000;

interface LocalBucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets by key (a caller, a client address): `burst` tokens at most, refilled at `perSecond`. With Redis
 * the buckets live there, so every replica takes from the same one; without it, and whenever Redis cannot answer
 * (see SharedRedis: disconnected, hung, cooling down), each replica keeps its own in memory, so a Redis outage never
 * fails a request, it only makes the limit per replica for a while.
 */
export class TokenBuckets {
  private readonly local = new LRUCache<string, LocalBucket>(entryBound(LOCAL_BUCKETS));

  constructor(
    /** Names the buckets in Redis keys: `<prefix>bucket:<name>:<key>`. */
    private readonly name: string,
    private readonly settings: BucketSettings,
    private readonly redis?: SharedRedis,
    private readonly keyPrefix = 'aws-events-graph:v1:',
    private readonly clock: () => number = () => performance.now(),
  ) {}

  get enabled(): boolean {
    return this.settings.perSecond > 0;
  }

  /** Takes `cost` tokens from `key`'s bucket, or says when they will be there. */
  async take(key: string, cost = 1): Promise<TakeResult> {
    if (!this.enabled) return OK;
    if (this.redis?.available) {
      try {
        return await this.takeShared(key, cost);
      } catch {
        // SharedRedis has noted the failure (its circuit opens): this replica counts on its own meanwhile.
      }
    }
    return this.takeLocal(key, cost);
  }

  private async takeShared(key: string, cost: number): Promise<TakeResult> {
    const redisKey = `${this.keyPrefix}bucket:${this.name}:${key}`;
    const args = [String(this.settings.perSecond), String(this.settings.burst), String(cost)];
    const reply = await this.redis!.run(async (client) => {
      try {
        return await client.evalsha(SCRIPT_SHA, 1, redisKey, ...args);
      } catch (error) {
        // A Redis that has not seen the script yet (or restarted) gets it once.
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return client.eval(SCRIPT, 1, redisKey, ...args);
      }
    });
    const [allowed, waitMs] = reply as [number, number];
    return allowed === 1 ? OK : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  private takeLocal(key: string, cost: number): TakeResult {
    const { perSecond, burst } = this.settings;
    const now = this.clock();
    const bucket = this.local.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) * perSecond) / 1000);
    bucket.at = now;
    this.local.set(key, bucket);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return OK;
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - bucket.tokens) / perSecond)) };
  }
}
