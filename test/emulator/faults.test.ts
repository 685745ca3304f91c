import { describe, expect, it } from 'vitest';
import { FaultConfigError, FaultInjector, parseFaultConfig, type FaultConfig } from '../../src/emulator/faults.js';

const describeTracker = { service: 'personalize', operation: 'DescribeEventTracker', region: 'us-east-1' } as const;
const getStream = { service: 'profile', operation: 'GetEventStream', region: 'us-east-1' } as const;

function pathsOf(config: unknown): string[] {
  try {
    parseFaultConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(FaultConfigError);
    return (error as FaultConfigError).issues.map((i) => i.path);
  }
  throw new Error('expected a FaultConfigError');
}

function outcomes(config: FaultConfig, calls: number): string[] {
  const faults = new FaultInjector();
  faults.set(config);
  return Array.from({ length: calls }, () => faults.plan(describeTracker).outcome);
}

describe('fault config', () => {
  it('accepts the documented shape', () => {
    const config = {
      latencyMs: 25,
      rules: [
        {
          service: 'personalize',
          operation: 'DescribeEventTracker',
          latencyMs: 100,
          jitterMs: 50,
          throttleRate: 0.3,
          throttleAboveRps: 50,
          errorRate: 0.1,
          resetRate: 0.05,
          slowBodyMs: 200,
          truncateRate: 0.05,
          corruptBodyRate: 0.05,
          down: true,
        },
      ],
    };
    expect(parseFaultConfig(config)).toEqual(config);
  });

  it('rejects unknown keys with their path', () => {
    expect(pathsOf({ latency: 5, rules: [{ errorRate: 0.5, eror: 1 }] }).sort()).toEqual(['', 'rules[0]']);
  });

  it('rejects rates outside 0..1', () => {
    expect(pathsOf({ rules: [{ throttleRate: 1.5 }] })).toEqual(['rules[0].throttleRate']);
  });

  it('rejects an operation that belongs to another service', () => {
    expect(pathsOf({ rules: [{ service: 'profile', operation: 'DescribeEventTracker' }] })).toEqual([
      'rules[0].operation',
    ]);
  });

  it('rejects an unknown service', () => {
    expect(pathsOf({ rules: [{ service: 'customer-profiles' }] })).toEqual(['rules[0].service']);
  });
});

describe('fault plans', () => {
  it('add the top-level and every matching rule latency', () => {
    const faults = new FaultInjector();
    faults.set({
      latencyMs: 25,
      rules: [
        { service: 'personalize', latencyMs: 100 },
        { operation: 'DescribeEventTracker', latencyMs: 10 },
      ],
    });
    expect(faults.plan(describeTracker).delayMs).toBe(135);
    expect(faults.plan(getStream).delayMs).toBe(25);
  });

  it('are the same sequence for the same seed', () => {
    const config = { seed: 123, rules: [{ throttleRate: 0.3, errorRate: 0.2, resetRate: 0.1 }] };
    expect(outcomes(config, 50)).toEqual(outcomes(config, 50));
    expect(new Set(outcomes(config, 50)).size).toBeGreaterThan(1);
  });

  it('throttle only above the configured rate per second', () => {
    let now = 0;
    const faults = new FaultInjector(() => now);
    faults.set({ rules: [{ throttleAboveRps: 3 }] });
    const first = Array.from({ length: 5 }, () => faults.plan(describeTracker).outcome);
    expect(first).toEqual(['none', 'none', 'none', 'throttle', 'throttle']);
    now = 1001;
    expect(faults.plan(describeTracker).outcome).toBe('none');
  });

  it('apply a rule with times to that many matching calls only', () => {
    expect(outcomes({ rules: [{ errorRate: 1, times: 2 }] }, 4)).toEqual(['error', 'error', 'none', 'none']);
  });

  it('corrupt the body of a success only, never of a failure they also planned', () => {
    const faults = new FaultInjector();
    faults.set({ rules: [{ service: 'personalize', corruptBodyRate: 1 }] });
    expect(faults.plan(describeTracker)).toMatchObject({ outcome: 'none', corruptBody: true });
    expect(faults.plan(getStream).corruptBody).toBe(false);
    faults.set({ rules: [{ errorRate: 1, corruptBodyRate: 1 }] });
    expect(faults.plan(describeTracker)).toMatchObject({ outcome: 'error', corruptBody: false });
  });

  it('plan no fault once cleared', () => {
    const faults = new FaultInjector();
    faults.set({ latencyMs: 10, rules: [{ down: true }] });
    faults.clear();
    expect(faults.plan(describeTracker)).toEqual({
      delayMs: 0,
      outcome: 'none',
      slowBodyMs: 0,
      truncate: false,
      corruptBody: false,
    });
    expect(faults.current()).toEqual({});
  });

  it('keep jitter within its bound', () => {
    const faults = new FaultInjector();
    faults.set({ seed: 9, jitterMs: 20 });
    for (let i = 0; i < 100; i += 1) {
      const { delayMs } = faults.plan(getStream);
      expect(delayMs).toBeGreaterThanOrEqual(0);
      expect(delayMs).toBeLessThan(20);
    }
  });
});
