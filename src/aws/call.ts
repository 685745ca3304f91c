import pLimit, { type LimitFunction } from 'p-limit';
import type { AwsSettings } from '../config.js';
import { type AwsCallSite, fromAwsError } from './errors.js';

/** What one GraphQL operation spent on AWS; logged per operation and checked against budgets. */
export class AwsCallLedger {
  total = 0;
  readonly byOperation = new Map<string, number>();

  record(site: AwsCallSite): void {
    this.total++;
    const key = `${site.service}:${site.operation}`;
    this.byOperation.set(key, (this.byOperation.get(key) ?? 0) + 1);
  }
}

export interface AwsCallObserver {
  onCall?(site: AwsCallSite, outcome: 'ok' | string, seconds: number): void;
}

/**
 * The single door to AWS: every SDK call goes through `call`, which bounds concurrency per (service, region),
 * applies the per-call deadline, records the call, and turns failures into GraphQL errors with stable codes.
 */
export class AwsCaller {
  private readonly limits = new Map<string, LimitFunction>();

  constructor(
    private readonly settings: AwsSettings,
    private readonly observer: AwsCallObserver = {},
  ) {}

  async call<T>(site: AwsCallSite, ledger: AwsCallLedger | undefined, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.limitFor(site)(async () => {
      ledger?.record(site);
      const started = performance.now();
      // The deadline covers the SDK's own retries, so one slow call cannot hold an operation indefinitely.
      const signal = AbortSignal.timeout(this.settings.callTimeoutMs * Math.max(1, this.settings.maxAttempts));
      try {
        const result = await send(signal);
        this.observer.onCall?.(site, 'ok', (performance.now() - started) / 1000);
        return result;
      } catch (error) {
        const mapped = fromAwsError(error, site);
        this.observer.onCall?.(site, String(mapped.extensions.code), (performance.now() - started) / 1000);
        throw mapped;
      }
    });
  }

  private limitFor(site: AwsCallSite): LimitFunction {
    const id = `${site.service}:${site.region}`;
    let limit = this.limits.get(id);
    if (!limit) {
      limit = pLimit(this.settings.maxConcurrency);
      this.limits.set(id, limit);
    }
    return limit;
  }
}
