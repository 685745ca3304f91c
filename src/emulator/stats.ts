/**
 * Counts every AWS call the emulator served, whatever its outcome (success, AWS error, injected
 * fault), keyed `<signing name>:<Operation>` like `personalize:DescribeEventTracker`. Tests assert
 * exact call counts from these, so a call is counted once, as soon as its operation is known.
 */

export interface EmulatorStats {
  total: number;
  calls: Record<string, number>;
  /** The same counts per region (from the credential scope). */
  byRegion: Record<string, Record<string, number>>;
}

export class CallStats {
  private total = 0;
  private readonly calls = new Map<string, number>();
  private readonly byRegion = new Map<string, Map<string, number>>();

  record(service: string, operation: string, region: string | undefined): void {
    const key = `${service}:${operation}`;
    this.total += 1;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    if (region !== undefined) {
      let regional = this.byRegion.get(region);
      if (!regional) {
        regional = new Map();
        this.byRegion.set(region, regional);
      }
      regional.set(key, (regional.get(key) ?? 0) + 1);
    }
  }

  reset(): void {
    this.total = 0;
    this.calls.clear();
    this.byRegion.clear();
  }

  snapshot(): EmulatorStats {
    return {
      total: this.total,
      calls: Object.fromEntries(this.calls),
      byRegion: Object.fromEntries([...this.byRegion].map(([region, calls]) => [region, Object.fromEntries(calls)])),
    };
  }
}
