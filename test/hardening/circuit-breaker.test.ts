import { describe, expect, it } from 'vitest';
import { CircuitBreaker, CircuitBreakers, type CircuitSettings, type CircuitState } from '../../src/aws/resilience.js';

const SETTINGS: CircuitSettings = {
  failureThreshold: 3,
  failureRatio: 0.5,
  minCalls: 10,
  windowMs: 10_000,
  cooldownMs: 1_000,
};

function breaker(settings: Partial<CircuitSettings> = {}) {
  let now = 0;
  const changes: CircuitState[] = [];
  const b = new CircuitBreaker(
    { ...SETTINGS, ...settings },
    (s) => changes.push(s),
    () => now,
  );
  return {
    b,
    changes,
    advance: (ms: number) => {
      now += ms;
    },
    call(outcome: 'success' | 'failure' | 'neutral'): boolean {
      const permit = b.tryAcquire();
      permit?.release(outcome);
      return permit !== null;
    },
  };
}

describe('circuit breaker', () => {
  it('opens after the configured number of consecutive failures', () => {
    const t = breaker();
    t.call('failure');
    t.call('failure');
    expect(t.b.state).toBe('closed');
    t.call('failure');
    expect(t.b.state).toBe('open');
    expect(t.changes).toEqual(['open']);
  });

  it('forgets consecutive failures that a success interrupts', () => {
    const t = breaker({ failureRatio: 1 });
    for (let i = 0; i < 5; i++) {
      t.call('failure');
      t.call('failure');
      t.call('success');
    }
    expect(t.b.state).toBe('closed');
  });

  it('opens when failures reach the ratio over the window, once the window holds enough calls', () => {
    const t = breaker({ failureThreshold: 100 });
    // Alternating: 50 % failures, but only 9 calls so far.
    for (let i = 0; i < 9; i++) t.call(i % 2 ? 'failure' : 'success');
    expect(t.b.state).toBe('closed');
    t.call('failure');
    expect(t.b.state).toBe('open');
  });

  it('counts only the calls of the rolling window toward the ratio', () => {
    const t = breaker({ failureThreshold: 100 });
    for (let i = 0; i < 8; i++) t.call('failure');
    t.advance(11_000);
    for (let i = 0; i < 8; i++) t.call('success');
    t.call('failure');
    t.call('failure');
    expect(t.b.state).toBe('closed');
  });

  it('sheds every call while open and reports when to retry', () => {
    const t = breaker();
    for (let i = 0; i < 3; i++) t.call('failure');
    t.advance(400);
    expect(t.call('success')).toBe(false);
    expect(t.b.retryAfterMs()).toBe(600);
  });

  it('lets one probe through after the cool-down and closes when it succeeds', () => {
    const t = breaker();
    for (let i = 0; i < 3; i++) t.call('failure');
    t.advance(1_000);
    const probe = t.b.tryAcquire();
    expect(probe).not.toBeNull();
    expect(t.b.state).toBe('half-open');
    expect(t.b.tryAcquire()).toBeNull();
    probe!.release('success');
    expect(t.b.state).toBe('closed');
    expect(t.changes).toEqual(['open', 'half-open', 'closed']);
    expect(t.call('success')).toBe(true);
  });

  it('opens again for a full cool-down when the probe fails', () => {
    const t = breaker();
    for (let i = 0; i < 3; i++) t.call('failure');
    t.advance(1_000);
    t.call('failure');
    expect(t.b.state).toBe('open');
    expect(t.b.retryAfterMs()).toBe(1_000);
  });

  it('is not moved by neutral outcomes, and a neutral probe frees the slot for the next one', () => {
    const t = breaker();
    for (let i = 0; i < 10; i++) t.call('neutral');
    expect(t.b.state).toBe('closed');
    for (let i = 0; i < 3; i++) t.call('failure');
    t.advance(1_000);
    t.call('neutral');
    expect(t.b.state).toBe('half-open');
    expect(t.call('success')).toBe(true);
    expect(t.b.state).toBe('closed');
  });

  it('never opens when the threshold is 0', () => {
    const t = breaker({ failureThreshold: 0 });
    for (let i = 0; i < 100; i++) expect(t.call('failure')).toBe(true);
    expect(t.b.state).toBe('closed');
  });
});

describe('circuit breakers of the estate', () => {
  const site = { service: 'svc', region: 'eu-west-1', accountId: '111111111111' };

  it('gives each account its own breaker for a service and region, and reports the worst state among them', () => {
    const reported: Array<[string, CircuitState]> = [];
    const breakers = new CircuitBreakers({ ...SETTINGS, failureThreshold: 1 }, (target, state) =>
      reported.push([`${target.service}:${target.region}`, state]),
    );
    const one = breakers.get(site);
    const other = breakers.get({ ...site, accountId: '222222222222' });
    expect(other).not.toBe(one);
    expect(breakers.get({ ...site })).toBe(one);
    one.tryAcquire()?.release('failure');
    // One account's upstream failing sheds its own calls only.
    expect(one.state).toBe('open');
    expect(other.state).toBe('closed');
    expect(other.tryAcquire()).not.toBeNull();
    expect(reported).toEqual([
      ['svc:eu-west-1', 'closed'],
      ['svc:eu-west-1', 'open'],
    ]);
  });
});
