import { describe, expect, it } from 'vitest';
import { runEstateBench } from '../../bench/estate.js';

/* The estate benchmark's machinery, once and without timing anything: its call counts against the minimum. */

describe('the estate benchmark', () => {
  it('answers the 2 × 3 dashboard with exactly the AWS calls it derives as the minimum', async () => {
    const results = await runEstateBench({ iterations: 1, write: false });
    expect(results.scopes).toBe(6);
    expect(results.awsCalls.measured).toEqual(results.awsCalls.minimum);
    expect(results.awsCalls.total).toBe(48);
    expect(Object.keys(results.p50Ms.perScope)).toHaveLength(6);
  }, 60_000);
});
