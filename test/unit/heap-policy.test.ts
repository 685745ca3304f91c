import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_HEAP_GROWTH_PERCENT } from '../../src/heap-policy.js';

const run = promisify(execFile);

/** The probe (test/fixtures/heap-growth-probe.ts) in a process of its own, under the given HEAP_GROWTH_PERCENT. */
async function probe(percent: number): Promise<{ liveMb: number; peakHeapUsedMb: number }> {
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'test/fixtures/heap-growth-probe.ts', String(percent)],
    { timeout: 60_000 },
  );
  return JSON.parse(stdout);
}

describe('heap policy (HEAP_GROWTH_PERCENT)', () => {
  it('defaults to 50 % and refuses values V8 would not take', () => {
    expect(loadConfig('gateway', {}).heapGrowthPercent).toBe(DEFAULT_HEAP_GROWTH_PERCENT);
    expect(DEFAULT_HEAP_GROWTH_PERCENT).toBe(50);
    expect(loadConfig('gateway', { HEAP_GROWTH_PERCENT: '0' }).heapGrowthPercent).toBe(0);
    expect(() => loadConfig('gateway', { HEAP_GROWTH_PERCENT: '-1' })).toThrow(/HEAP_GROWTH_PERCENT/);
    expect(() => loadConfig('gateway', { HEAP_GROWTH_PERCENT: '401' })).toThrow(/HEAP_GROWTH_PERCENT/);
    expect(() => loadConfig('gateway', { HEAP_GROWTH_PERCENT: '12.5' })).toThrow(/HEAP_GROWTH_PERCENT/);
  });

  it('keeps a process under load near its live set, where V8 alone lets it grow to several times that', async () => {
    const own = await probe(0);
    const bounded = await probe(DEFAULT_HEAP_GROWTH_PERCENT);
    // The same work and the same live set (about 110 MB) in both.
    expect(Math.abs(own.liveMb - bounded.liveMb)).toBeLessThan(10);
    // V8's own policy on a host of this size: about four times the live set before a full collection.
    expect(own.peakHeapUsedMb).toBeGreaterThan(3 * own.liveMb);
    // 50 %: the old generation stays within 1.5 x the live set; the rest is the young generation (32 MB at most)
    // and what was allocated since the last collection.
    expect(bounded.peakHeapUsedMb).toBeLessThan(2.25 * bounded.liveMb);
    expect(bounded.peakHeapUsedMb).toBeLessThan(0.6 * own.peakHeapUsedMb);
  }, 120_000);
});
