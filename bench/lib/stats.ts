/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Least-squares slope of y over x (units of y per unit of x); NaN with fewer than two points. */
export function slope(points: ReadonlyArray<{ x: number; y: number }>): number {
  return fitLine(points).slope;
}

/**
 * Least-squares line through `points`: its slope and the slope's standard error (from the residuals' scatter), which
 * says how far noise alone moves the slope: with RSS scattering a few MB around its trend under GC, a short window's
 * slope can be several MB/min either way.
 */
export function fitLine(points: ReadonlyArray<{ x: number; y: number }>): { slope: number; standardError: number } {
  const n = points.length;
  if (n < 2) return { slope: Number.NaN, standardError: Number.NaN };
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  if (den === 0) return { slope: Number.NaN, standardError: Number.NaN };
  const fitted = num / den;
  if (n < 3) return { slope: fitted, standardError: Number.NaN };
  let squares = 0;
  for (const p of points) squares += (p.y - (my + fitted * (p.x - mx))) ** 2;
  return { slope: fitted, standardError: Math.sqrt(squares / (n - 2) / den) };
}
