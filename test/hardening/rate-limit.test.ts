import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/security/rate-limit.js';

function makeLimiter(perSecond: number, burst: number) {
  let now = 0;
  return { limiter: new RateLimiter({ perSecond, burst }, () => now), advance: (ms: number) => (now += ms) };
}

describe('rate limiter', () => {
  it('lets a burst through, then refuses with the seconds until the next request is allowed', () => {
    const { limiter } = makeLimiter(0.5, 3);
    expect([1, 2, 3].map(() => limiter.take('a').ok)).toEqual([true, true, true]);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 2 });
  });

  it('refills at the configured rate', () => {
    const t = makeLimiter(10, 1);
    expect(t.limiter.take('a').ok).toBe(true);
    expect(t.limiter.take('a').ok).toBe(false);
    t.advance(100);
    expect(t.limiter.take('a').ok).toBe(true);
  });

  it('counts each caller on its own', () => {
    const { limiter } = makeLimiter(1, 1);
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
    expect(limiter.take('b').ok).toBe(true);
  });

  it('never refuses when the rate is 0 (off)', () => {
    const { limiter } = makeLimiter(0, 1);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a').ok).toBe(true);
  });
});
