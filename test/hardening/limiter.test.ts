import { afterEach, describe, expect, it, vi } from 'vitest';
import { AdaptiveTokenBucket, AwsRateLimiter, RateLimit, RateLimitRefusal } from '../../src/aws/limiter.js';

/** The client-side rate limits on AWS calls: the bucket maths on an injected clock, and the line of waiters. */

describe('adaptive token bucket', () => {
  it('lets its burst through, then one token per 1/rate seconds', () => {
    const bucket = new AdaptiveTokenBucket({ perSecond: 10, burst: 3 }, 0);
    expect([bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(bucket.msUntilToken(0)).toBe(100);
    expect(bucket.msUntilToken(40)).toBeCloseTo(60);
    expect(bucket.tryTake(99)).toBe(false);
    expect(bucket.tryTake(100)).toBe(true);
    // A quiet second refills the burst, never more.
    expect([bucket.tryTake(5_000), bucket.tryTake(5_000), bucket.tryTake(5_000), bucket.tryTake(5_000)]).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('halves its rate on a throttle, and drops the tokens left: AWS has none for the scope now', () => {
    const bucket = new AdaptiveTokenBucket({ perSecond: 20, burst: 20 }, 0);
    bucket.tryTake(0);
    bucket.throttled(0, 10);
    expect(bucket.rate).toBe(10);
    expect(bucket.capacity).toBe(10);
    expect(bucket.tryTake(10)).toBe(false);
    expect(bucket.msUntilToken(10)).toBe(100);
  });

  it('halves once per round: throttles of attempts sent before the last decrease are already counted', () => {
    const bucket = new AdaptiveTokenBucket({ perSecond: 40, burst: 40 }, 0);
    bucket.throttled(0, 5);
    bucket.throttled(0, 6);
    bucket.throttled(4, 7);
    expect(bucket.rate).toBe(20);
    // An attempt whose token was taken after the decrease was sent at the new rate: AWS throttling it counts.
    bucket.throttled(5, 50);
    expect(bucket.rate).toBe(10);
  });

  it('never goes below its floor: 1/64 of the quota, at least one request a second unless the quota is lower', () => {
    const big = new AdaptiveTokenBucket({ perSecond: 256, burst: 256 }, 0);
    for (let t = 1; t <= 20; t++) big.throttled(t, t);
    expect(big.rate).toBe(4);
    const small = new AdaptiveTokenBucket({ perSecond: 8, burst: 8 }, 0);
    for (let t = 1; t <= 20; t++) small.throttled(t, t);
    expect(small.rate).toBe(1);
    const tiny = new AdaptiveTokenBucket({ perSecond: 0.5, burst: 1 }, 0);
    tiny.throttled(1, 1);
    expect(tiny.rate).toBe(0.5);
  });

  it('grows back linearly, 1/20 of the quota per second since the rate last changed, up to the quota', () => {
    const bucket = new AdaptiveTokenBucket({ perSecond: 40, burst: 40 }, 0);
    bucket.throttled(0, 1_000);
    expect(bucket.rate).toBe(20);
    bucket.answered(2_000);
    expect(bucket.rate).toBeCloseTo(22);
    bucket.answered(4_000);
    expect(bucket.rate).toBeCloseTo(26);
    // The burst grows with the rate.
    expect(bucket.capacity).toBeCloseTo(26);
    bucket.answered(60_000);
    expect(bucket.rate).toBe(40);
  });

  it('keeps the tokens it earned at the old rate when the rate grows', () => {
    const bucket = new AdaptiveTokenBucket({ perSecond: 10, burst: 10 }, 0);
    bucket.throttled(0, 0);
    // 5/s for 400 ms: two tokens, whatever the rate becomes afterwards.
    bucket.answered(400);
    expect(bucket.tryTake(400)).toBe(true);
    expect(bucket.tryTake(400)).toBe(true);
    expect(bucket.tryTake(400)).toBe(false);
  });
});

describe('rate limit of one scope', () => {
  afterEach(() => vi.useRealTimers());

  function fakeClock() {
    vi.useFakeTimers();
    const start = Date.now();
    return () => Date.now() - start;
  }

  it('takes a free token at once, without a promise', () => {
    const limit = new RateLimit({ perSecond: 5, burst: 1 }, () => 0);
    expect(limit.acquire(1_000)).toBe(0);
  });

  it('releases waiters in arrival order at the rate', async () => {
    const clock = fakeClock();
    const limit = new RateLimit({ perSecond: 10, burst: 1 }, clock);
    expect(limit.acquire(10_000)).toBe(0);
    const released: Array<[number, number]> = [];
    const waits = [1, 2, 3].map((n) =>
      Promise.resolve(limit.acquire(10_000)).then((takenAt) => released.push([n, takenAt])),
    );
    expect(limit.waiting).toBe(3);
    await vi.advanceTimersByTimeAsync(350);
    await Promise.all(waits);
    expect(released).toEqual([
      [1, 100],
      [2, 200],
      [3, 300],
    ]);
    expect(limit.waiting).toBe(0);
  });

  it('slows the waiters already in line when the rate drops', async () => {
    const clock = fakeClock();
    const limit = new RateLimit({ perSecond: 10, burst: 1 }, clock);
    limit.acquire(10_000);
    const released: number[] = [];
    const waits = [1, 2].map(() => Promise.resolve(limit.acquire(10_000)).then((at) => released.push(at)));
    await vi.advanceTimersByTimeAsync(100);
    expect(released).toEqual([100]);
    // AWS throttles the first one's attempt: 5/s from now, so the second waits 200 ms more, not 100.
    limit.throttled(100);
    await vi.advanceTimersByTimeAsync(150);
    expect(released).toEqual([100]);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all(waits);
    expect(released).toEqual([100, 300]);
  });

  it('refuses at once a wait that would end after the deadline, and takes no token for it', async () => {
    const limit = new RateLimit({ perSecond: 2, burst: 1 }, () => 0);
    limit.acquire(1_000);
    const refused = limit.acquire(400);
    expect(refused).toBeInstanceOf(Promise);
    await expect(refused).rejects.toBeInstanceOf(RateLimitRefusal);
    await expect(refused).rejects.toMatchObject({ perSecond: 2 });
    expect(limit.waiting).toBe(0);
  });

  it('refuses a waiter whose deadline a drop of the rate puts out of reach, and serves the next one', async () => {
    const clock = fakeClock();
    const limit = new RateLimit({ perSecond: 10, burst: 1 }, clock);
    limit.acquire(10_000);
    const hurried = Promise.resolve(limit.acquire(150));
    const patient = Promise.resolve(limit.acquire(10_000));
    hurried.catch(() => undefined);
    limit.throttled(0);
    await vi.advanceTimersByTimeAsync(1);
    limit.throttled(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(hurried).rejects.toBeInstanceOf(RateLimitRefusal);
    // 2.5/s after two halvings: the next token comes 400 ms after the second one.
    await expect(patient).resolves.toBe(401);
  });

  it('lets an aborted waiter go with the signal’s reason, and its place to the next', async () => {
    const clock = fakeClock();
    const limit = new RateLimit({ perSecond: 10, burst: 1 }, clock);
    limit.acquire(10_000);
    const controller = new AbortController();
    const aborted = Promise.resolve(limit.acquire(10_000, controller.signal));
    const next = Promise.resolve(limit.acquire(10_000));
    controller.abort(new Error('gone'));
    await expect(aborted).rejects.toThrow('gone');
    await vi.advanceTimersByTimeAsync(100);
    await expect(next).resolves.toBe(100);
  });
});

describe('rate limit of an operation without a documented quota', () => {
  it('is unlimited until AWS throttles it: no bucket, every token at once', () => {
    const limit = new RateLimit(undefined, () => 0);
    for (let i = 0; i < 1_000; i++) expect(limit.acquire(0)).toBe(0);
    limit.answered();
    expect(limit.bucket).toBeUndefined();
  });

  it('is limited at half the rate it was sent at over the last second once AWS throttles it', () => {
    let now = 0;
    const limit = new RateLimit(undefined, () => now);
    // 30 in the first second, 20 in the first half of the next: 20 + 30 * 1/2 = 35 over the last second.
    for (let i = 0; i < 30; i++) limit.acquire(Number.POSITIVE_INFINITY);
    now = 1_000;
    for (let i = 0; i < 20; i++) limit.acquire(Number.POSITIVE_INFINITY);
    now = 1_500;
    limit.throttled(1_400);
    expect(limit.bucket?.rate).toBe(17.5);
    expect(limit.bucket?.quota.perSecond).toBe(35);
    // Nothing is left to send at once: AWS has just said there is no room.
    expect(limit.acquire(Number.POSITIVE_INFINITY)).toBeInstanceOf(Promise);
  });

  it('forgets sends older than a second', () => {
    let now = 0;
    const limit = new RateLimit(undefined, () => now);
    for (let i = 0; i < 40; i++) limit.acquire(Number.POSITIVE_INFINITY);
    now = 2_500;
    limit.acquire(Number.POSITIVE_INFINITY);
    limit.acquire(Number.POSITIVE_INFINITY);
    limit.throttled(2_500);
    expect(limit.bucket?.rate).toBe(1);
  });

  it('grows back linearly after the throttle, and is unlimited again where it was throttled', () => {
    let now = 0;
    const limit = new RateLimit(undefined, () => now);
    for (let i = 0; i < 40; i++) limit.acquire(Number.POSITIVE_INFINITY);
    limit.throttled(0);
    expect(limit.bucket?.rate).toBe(20);
    // 1/20 of the rate it was throttled at per second: 2 per second.
    now = 5_000;
    limit.answered();
    expect(limit.bucket?.rate).toBeCloseTo(30);
    now = 10_000;
    limit.answered();
    expect(limit.bucket).toBeUndefined();
    expect(limit.acquire(0)).toBe(10_000);
  });

  it('grows back by at least one request per second, per second, after a throttle at a low rate', () => {
    let now = 0;
    const limit = new RateLimit(undefined, () => now);
    limit.acquire(Number.POSITIVE_INFINITY);
    limit.acquire(Number.POSITIVE_INFINITY);
    limit.throttled(0);
    expect(limit.bucket?.rate).toBe(1);
    now = 500;
    limit.answered();
    expect(limit.bucket?.rate).toBeCloseTo(1.5);
    now = 1_000;
    limit.answered();
    expect(limit.bucket).toBeUndefined();
  });

  it('lets whoever waits go at once when it is unlimited again', async () => {
    let now = 0;
    const limit = new RateLimit(undefined, () => now);
    for (let i = 0; i < 4; i++) limit.acquire(Number.POSITIVE_INFINITY);
    limit.throttled(0);
    const waiting = [1, 2, 3].map(() => limit.acquire(Number.POSITIVE_INFINITY));
    expect(limit.waiting).toBe(3);
    now = 2_000;
    limit.answered();
    expect(limit.waiting).toBe(0);
    expect(await Promise.all(waiting)).toEqual([2_000, 2_000, 2_000]);
  });
});

describe('AWS rate limiter (the scopes)', () => {
  const settings = { enabled: true };
  const site = { service: 'svc', operation: 'Describe', region: 'eu-west-1', accountId: '111111111111' };

  it('gives each (account, region, service, operation) a bucket of its own, shared by every call of it', () => {
    const limiter = new AwsRateLimiter(settings, [], () => 0);
    const one = limiter.limitFor(site);
    expect(limiter.limitFor({ ...site })).toBe(one);
    for (const other of [
      { ...site, accountId: '222222222222' },
      { ...site, region: 'us-east-1' },
      { ...site, service: 'other' },
      { ...site, operation: 'List' },
    ])
      expect(limiter.limitFor(other)).not.toBe(one);
  });

  it('sizes a bucket from the quota its module declares; leaves other operations unlimited', () => {
    const limiter = new AwsRateLimiter(settings, [{ id: 'svc', quotas: { Describe: { perSecond: 20, burst: 5 } } }]);
    expect(limiter.limitFor(site)?.bucket?.quota).toEqual({ perSecond: 20, burst: 5 });
    expect(limiter.limitFor({ ...site, operation: 'List' })?.bucket).toBeUndefined();
    expect([...limiter.rates()]).toEqual([
      { ...site, perSecond: 20, quotaPerSecond: 20 },
      { ...site, operation: 'List', perSecond: undefined, quotaPerSecond: undefined },
    ]);
  });

  it('gives every operation without a documented quota the default one, when there is one', () => {
    const limiter = new AwsRateLimiter({ enabled: true, defaultQuota: { perSecond: 50, burst: 10 } });
    expect(limiter.limitFor(site)?.bucket?.quota).toEqual({ perSecond: 50, burst: 10 });
  });

  it('limits nothing when off', () => {
    const limiter = new AwsRateLimiter({ ...settings, enabled: false });
    expect(limiter.limitFor(site)).toBeUndefined();
  });
});
