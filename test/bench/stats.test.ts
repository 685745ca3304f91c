import { describe, expect, it } from 'vitest';
import { fitLine, slope } from '../../bench/lib/stats.js';

describe('the soak statistics', () => {
  it('fits the slope of a line, with no error when every point is on it', () => {
    const points = Array.from({ length: 10 }, (_, i) => ({ x: i, y: 3 * i + 7 }));
    expect(slope(points)).toBeCloseTo(3, 10);
    expect(fitLine(points).standardError).toBeCloseTo(0, 10);
  });

  it('gives a flat but noisy series a standard error that shrinks as the window grows', () => {
    // A saw-tooth of +-5 around a flat line, one sample a second, x in minutes: as RSS looks under GC.
    const series = (seconds: number) =>
      Array.from({ length: seconds }, (_, t) => ({ x: t / 60, y: 200 + (t % 4 < 2 ? 5 : -5) }));
    const short = fitLine(series(40));
    const long = fitLine(series(90));
    expect(Math.abs(short.slope)).toBeLessThan(2 * short.standardError);
    expect(long.standardError).toBeLessThan(short.standardError / 2);
  });

  it('has no slope without two distinct x', () => {
    expect(slope([{ x: 1, y: 1 }])).toBeNaN();
    expect(
      fitLine([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]).slope,
    ).toBeNaN();
    expect(
      fitLine([
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ]).standardError,
    ).toBeNaN();
  });
});
