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
  /**
   * The same counts per account the request is signed for (long-term credentials: the fixtures' first account;
   * temporary ones: their role's account). A call signed with a key the emulator does not know is in no account.
   */
  byAccount: Record<string, Record<string, number>>;
  /** AssumeRole calls per account of the role asked for (from the RoleArn, whatever the outcome). */
  assumeRoleByAccount: Record<string, number>;
}

/** The identity of one call, as far as it is known when it is counted. */
export interface CountedCall {
  readonly service: string;
  readonly operation: string;
  readonly region?: string;
  readonly accountId?: string;
}

function increment(counts: Map<string, Map<string, number>>, group: string, key: string): void {
  let grouped = counts.get(group);
  if (!grouped) {
    grouped = new Map();
    counts.set(group, grouped);
  }
  grouped.set(key, (grouped.get(key) ?? 0) + 1);
}

function nested(counts: Map<string, Map<string, number>>): Record<string, Record<string, number>> {
  return Object.fromEntries([...counts].map(([group, calls]) => [group, Object.fromEntries(calls)]));
}

export class CallStats {
  private total = 0;
  private readonly calls = new Map<string, number>();
  private readonly byRegion = new Map<string, Map<string, number>>();
  private readonly byAccount = new Map<string, Map<string, number>>();
  private readonly assumeRoleByAccount = new Map<string, number>();

  record(call: CountedCall): void {
    const key = `${call.service}:${call.operation}`;
    this.total += 1;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
    if (call.region !== undefined) increment(this.byRegion, call.region, key);
    if (call.accountId !== undefined) increment(this.byAccount, call.accountId, key);
  }

  /** An AssumeRole of a role in `accountId` (counted by record() too, under the caller's account). */
  recordAssumeRole(accountId: string): void {
    this.assumeRoleByAccount.set(accountId, (this.assumeRoleByAccount.get(accountId) ?? 0) + 1);
  }

  reset(): void {
    this.total = 0;
    this.calls.clear();
    this.byRegion.clear();
    this.byAccount.clear();
    this.assumeRoleByAccount.clear();
  }

  snapshot(): EmulatorStats {
    return {
      total: this.total,
      calls: Object.fromEntries(this.calls),
      byRegion: nested(this.byRegion),
      byAccount: nested(this.byAccount),
      assumeRoleByAccount: Object.fromEntries(this.assumeRoleByAccount),
    };
  }
}
