import { Redis, ReplyError } from 'ioredis';
import { type CacheEntry, type CacheStore, deserializeEntry, serializeEntry } from './store.js';

export interface SharedRedisSettings {
  url: string;
  /** Longest wait for one command; past it the command fails and Redis is skipped for `cooldownMs`. */
  commandTimeoutMs: number;
  /** How long requests skip Redis after a failure; a background PING then checks whether it is back. */
  cooldownMs: number;
}

/** Thrown at once, without a round trip, while Redis is disconnected or cooling down after a failure. */
export class RedisUnavailableError extends Error {
  constructor() {
    super('Redis is unavailable');
    this.name = 'RedisUnavailableError';
  }
}

/** Long enough for a Redis across a network at start-up, short enough not to hold the gateway's start for long. */
const STARTUP_WAIT_MS = 1_000;

/**
 * The one Redis connection of a gateway, shared by the resource cache and the rate limiter, built so that Redis
 * trouble costs requests at most one command timeout and then nothing:
 * - while disconnected (Redis dead, restarting, unreachable), commands fail at once: no offline queue;
 * - a command that does not answer within `commandTimeoutMs` (Redis hung) fails;
 * - after a failure, the circuit opens: requests skip Redis for `cooldownMs`, then a background PING (never a
 *   request) decides whether to close it, or keeps it open for another cool-down. A reconnect closes it at once.
 * Redis's own error replies (OOM, a wrong type) are answers, not outages: they do not open the circuit.
 */
export class SharedRedis {
  readonly client: Redis;
  private open = false;
  private probe: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly settings: SharedRedisSettings,
    private readonly events: {
      onError?: (error: unknown) => void;
      onCircuit?: (state: 'open' | 'closed') => void;
    } = {},
  ) {
    this.client = new Redis(settings.url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      // A command in flight when the connection drops fails instead of being replayed after the reconnect.
      maxRetriesPerRequest: 0,
      connectTimeout: 2_000,
      commandTimeout: settings.commandTimeoutMs,
    });
    // ioredis emits every failed reconnect attempt; without a listener each would be an uncaught 'error' event.
    this.client.on('error', (error) => this.events.onError?.(error));
    this.client.on('ready', () => this.closeCircuit());
  }

  /** Whether a command sent now can be answered: connected, and not cooling down after a failure. */
  get available(): boolean {
    return !this.open && this.client.status === 'ready';
  }

  /** Runs `command` when Redis is available (else throws RedisUnavailableError at once); failures open the circuit. */
  async run<T>(command: (client: Redis) => Promise<T>): Promise<T> {
    if (!this.available) throw new RedisUnavailableError();
    try {
      return await command(this.client);
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  /** Records a failed command sent outside `run` (the rate limiter's): opens the circuit unless Redis answered. */
  failed(error: unknown): void {
    if (error instanceof ReplyError || error instanceof RedisUnavailableError) return;
    if (this.open || this.closed) return;
    this.open = true;
    this.events.onCircuit?.('open');
    // A timed-out command stays in ioredis's queue until its reply comes, which a hung Redis never sends: a fresh
    // connection drops them (and its ready check keeps the circuit open until Redis answers again).
    if (error instanceof Error && error.message === 'Command timed out') this.client.disconnect(true);
    this.scheduleProbe();
  }

  /** True when Redis answers a PING now; false at once while the circuit is open or the connection is down. */
  async ping(): Promise<boolean> {
    try {
      return (await this.run((client) => client.ping())) === 'PONG';
    } catch {
      return false;
    }
  }

  /** Resolves once connected, or after the first connection error, or after a short bound: never fails. */
  async whenReady(timeoutMs = STARTUP_WAIT_MS): Promise<boolean> {
    if (this.client.status === 'ready') return true;
    return new Promise<boolean>((resolve) => {
      const done = (ready: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        this.client.off('error', onFail);
        resolve(ready);
      };
      const onReady = () => done(true);
      const onFail = () => done(false);
      const timer = setTimeout(onFail, timeoutMs);
      this.client.once('ready', onReady);
      this.client.once('error', onFail);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.probe);
    // QUIT lets writes already sent finish; a hung Redis would never answer it, so it is bounded.
    if (this.client.status === 'ready' && !this.open) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.client.quit().catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, this.settings.commandTimeoutMs))),
      ]);
      clearTimeout(timer);
    }
    this.client.disconnect();
  }

  private closeCircuit(): void {
    clearTimeout(this.probe);
    this.probe = undefined;
    if (!this.open) return;
    this.open = false;
    this.events.onCircuit?.('closed');
  }

  private scheduleProbe(): void {
    clearTimeout(this.probe);
    this.probe = setTimeout(async () => {
      if (this.closed) return;
      let healthy = false;
      try {
        healthy = this.client.status === 'ready' && (await this.client.ping()) === 'PONG';
      } catch {
        healthy = false;
      }
      if (this.closed) return;
      if (healthy) this.closeCircuit();
      else this.scheduleProbe();
    }, this.settings.cooldownMs);
    this.probe.unref();
  }
}

export interface RedisStoreOptions {
  /** Prefix of every key, so several deployments can share one Redis. */
  prefix?: string;
  /** Serialised entries longer than this are not written. */
  maxEntryBytes?: number;
  /** Writes sent and not yet answered, beyond which new writes are dropped (a slow Redis cannot queue memory). */
  maxPendingWrites?: number;
  /** Close the connection with the store. Off by default: the connection is shared with the rate limiter. */
  ownsConnection?: boolean;
}

/**
 * Redis, for several gateway replicas sharing one cache. Keys expire in Redis itself (PX), so the cache stays
 * bounded by the TTLs; Redis's own maxmemory policy bounds it further. Redis trouble reads as a miss, fast (see
 * SharedRedis): requests then go to AWS instead of failing or waiting. Writes are not awaited: a request never
 * waits for the cache to store what it already has.
 */
export class RedisStore implements CacheStore {
  readonly kind = 'redis' as const;
  private readonly prefix: string;
  private readonly maxEntryBytes: number;
  private readonly maxPendingWrites: number;
  private readonly ownsConnection: boolean;
  private pendingWrites = 0;

  constructor(
    readonly redis: SharedRedis,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'aws-events-graph:v1:';
    this.maxEntryBytes = options.maxEntryBytes ?? 1024 ** 2;
    this.maxPendingWrites = options.maxPendingWrites ?? 1_000;
    this.ownsConnection = options.ownsConnection ?? false;
  }

  async getMany(keys: readonly string[]) {
    if (keys.length === 0) return [];
    try {
      const values = await this.redis.run((client) => client.mget(...keys.map((k) => this.prefix + k)));
      return values.map((v) => (v === null ? undefined : safeDeserialize(v)));
    } catch {
      return keys.map(() => undefined);
    }
  }

  async set(key: string, entry: CacheEntry, ttlMs: number) {
    if (!this.redis.available || this.pendingWrites >= this.maxPendingWrites) return;
    const text = serializeEntry(entry);
    // Characters, not bytes: a cheap lower bound that is exact for the ASCII our models mostly hold.
    if (text.length > this.maxEntryBytes) return;
    this.pendingWrites++;
    this.redis
      .run((client) => client.set(this.prefix + key, text, 'PX', Math.max(1, Math.round(ttlMs))))
      .catch(() => undefined)
      .finally(() => this.pendingWrites--);
  }

  async put(entries: ReadonlyArray<{ key: string; entry: CacheEntry; ttlMs: number }>) {
    if (entries.length === 0) return;
    await this.redis.run(async (client) => {
      const batch = client.multi();
      for (const { key, entry, ttlMs } of entries)
        batch.set(this.prefix + key, serializeEntry(entry), 'PX', Math.max(1, Math.round(ttlMs)));
      const replies = await batch.exec();
      const failed = replies?.find(([error]) => error);
      if (!replies || failed) throw failed?.[0] ?? new Error('Redis did not run the transaction');
    });
  }

  async clear() {
    // Only our own keys: the Redis may be shared with other applications.
    await this.redis.run(async (client) => {
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
        if (keys.length) await client.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    });
  }

  async ping() {
    return this.redis.ping();
  }

  async close() {
    if (this.ownsConnection) await this.redis.close();
  }
}

function safeDeserialize(text: string): CacheEntry | undefined {
  try {
    return deserializeEntry(text);
  } catch {
    return undefined;
  }
}
