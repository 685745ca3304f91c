import { randomInt as cryptoRandomInt } from 'node:crypto';
import { z } from 'zod';
import { formatIssues, formatPath, type ValidationIssue } from './issues.js';
import { seededRandom, type Random } from './random.js';
import { OPERATIONS_BY_SERVICE, OPERATION_NAMES, SERVICE_IDS, type OperationName, type ServiceId } from './services.js';

/*
 * Fault injection for resilience work: added latency, throttling in each service's own shape,
 * server errors, dropped connections, truncated and slow bodies, whole services down. Faults only
 * touch AWS calls, never the /_emulator admin endpoints.
 */

const milliseconds = z.number().int().min(0).max(600_000);
const rate = z.number().min(0).max(1);

export const faultRuleSchema = z
  .strictObject({
    /** Signing name: profile | personalize | internetmonitor | sts. Omitted: every service. */
    service: z.enum(SERVICE_IDS).optional(),
    /** Omitted: every operation (of `service`, if given). */
    operation: z.enum(OPERATION_NAMES as [OperationName, ...OperationName[]]).optional(),
    /** Region from the credential scope. Omitted: every region. */
    region: z.string().min(1).optional(),
    /** The account the request is signed for (long-term or temporary credentials). Omitted: every account. */
    account: z
      .string()
      .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
      .optional(),
    /** Added to the top-level latencyMs. */
    latencyMs: milliseconds.optional(),
    /** Uniform random extra latency in [0, jitterMs). */
    jitterMs: milliseconds.optional(),
    /** Probability of a throttling error (each service's own: ThrottlingException 429 or Personalize's LimitExceededException). With throttleAboveRps: the probability for calls above that rate (default 1). */
    throttleRate: rate.optional(),
    /** Throttle calls beyond this many admitted calls per second (sliding one-second window per rule). */
    throttleAboveRps: z.number().positive().optional(),
    /** Probability of the service's 500 error. */
    errorRate: rate.optional(),
    /** Probability of destroying the connection without any response. */
    resetRate: rate.optional(),
    /** Spread the response body over this many milliseconds (headers are sent at once). */
    slowBodyMs: milliseconds.optional(),
    /** Probability of sending the headers and a Content-Length, then closing mid-body. */
    truncateRate: rate.optional(),
    /**
     * Probability of a successful answer whose body is cut in half but sent complete (Content-Length matches): the
     * client reads a whole 200 response that does not parse, as from a broken proxy.
     */
    corruptBodyRate: rate.optional(),
    /** Every matching call gets 503 ServiceUnavailable. */
    down: z.boolean().optional(),
    /** The rule applies to the first `times` matching calls only (a fault that happens once, then passes). */
    times: z.number().int().min(1).max(1_000_000).optional(),
  })
  .superRefine((rule, ctx) => {
    if (
      rule.service &&
      rule.operation &&
      !(OPERATIONS_BY_SERVICE[rule.service] as readonly string[]).includes(rule.operation)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['operation'],
        message: `${rule.operation} is not an operation of ${rule.service}`,
      });
    }
  });

export const faultConfigSchema = z.strictObject({
  /** Fixed latency added to every AWS call. */
  latencyMs: milliseconds.optional(),
  jitterMs: milliseconds.optional(),
  /** Seed for the random source behind every rate and jitter, for reproducible runs. */
  seed: z.number().int().optional(),
  /** Every matching rule applies: latencies add up; the first rule that produces an outcome wins. */
  rules: z.array(faultRuleSchema).max(100).optional(),
});

export type FaultConfig = z.infer<typeof faultConfigSchema>;
export type FaultRule = z.infer<typeof faultRuleSchema>;

export class FaultConfigError extends Error {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(`Invalid fault config:\n${formatIssues(issues)}`);
    this.name = 'FaultConfigError';
  }
}

export function parseFaultConfig(data: unknown): FaultConfig {
  const parsed = faultConfigSchema.safeParse(data);
  if (!parsed.success) {
    throw new FaultConfigError(parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
  }
  return parsed.data;
}

export interface CallIdentity {
  readonly service: ServiceId;
  readonly operation: OperationName;
  readonly region?: string;
  readonly account?: string;
}

export type FaultOutcome = 'none' | 'down' | 'reset' | 'throttle' | 'error';

export interface FaultPlan {
  readonly delayMs: number;
  readonly outcome: FaultOutcome;
  readonly slowBodyMs: number;
  readonly truncate: boolean;
  /** A success's body is sent cut, complete as a message (corruptBodyRate). */
  readonly corruptBody: boolean;
}

const NO_FAULT: FaultPlan = { delayMs: 0, outcome: 'none', slowBodyMs: 0, truncate: false, corruptBody: false };

export class FaultInjector {
  private config: FaultConfig | undefined;
  private random: Random = seededRandom(0);
  private admitted = new Map<FaultRule, number[]>();
  /** Calls each rule with `times` has applied to so far. */
  private applied = new Map<FaultRule, number>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Validates and installs a config (throws FaultConfigError); restarts the random sequence. */
  set(config: unknown): FaultConfig {
    const parsed = parseFaultConfig(config);
    this.config = parsed;
    this.random = seededRandom(parsed.seed ?? cryptoRandomInt(2 ** 31));
    this.admitted = new Map();
    this.applied = new Map();
    return parsed;
  }

  clear(): void {
    this.config = undefined;
    this.admitted = new Map();
    this.applied = new Map();
  }

  current(): FaultConfig {
    return this.config ?? {};
  }

  /** Decides, for one call, what goes wrong. Random draws happen in a fixed order per config. */
  plan(call: CallIdentity): FaultPlan {
    const config = this.config;
    if (!config) return NO_FAULT;
    const rules = (config.rules ?? []).filter(
      (r) =>
        (r.service === undefined || r.service === call.service) &&
        (r.operation === undefined || r.operation === call.operation) &&
        (r.region === undefined || r.region === call.region) &&
        (r.account === undefined || r.account === call.account) &&
        this.applies(r),
    );

    let delayMs = (config.latencyMs ?? 0) + this.jitter(config.jitterMs);
    for (const rule of rules) delayMs += (rule.latencyMs ?? 0) + this.jitter(rule.jitterMs);

    let outcome: FaultOutcome = 'none';
    for (const rule of rules) {
      outcome = this.outcomeOf(rule);
      if (outcome !== 'none') break;
    }

    let slowBodyMs = 0;
    let truncate = false;
    let corruptBody = false;
    for (const rule of rules) {
      slowBodyMs = Math.max(slowBodyMs, rule.slowBodyMs ?? 0);
      if (outcome === 'none' && !truncate && rule.truncateRate !== undefined)
        truncate = this.random() < rule.truncateRate;
      if (outcome === 'none' && !truncate && !corruptBody && rule.corruptBodyRate !== undefined)
        corruptBody = this.random() < rule.corruptBodyRate;
    }
    return { delayMs, outcome, slowBodyMs, truncate, corruptBody };
  }

  /** Whether a matching rule still applies, counting the call when it has a `times` limit. */
  private applies(rule: FaultRule): boolean {
    if (rule.times === undefined) return true;
    const applied = this.applied.get(rule) ?? 0;
    if (applied >= rule.times) return false;
    this.applied.set(rule, applied + 1);
    return true;
  }

  private jitter(jitterMs: number | undefined): number {
    return jitterMs ? Math.floor(this.random() * jitterMs) : 0;
  }

  private outcomeOf(rule: FaultRule): FaultOutcome {
    if (rule.down) return 'down';
    if (rule.resetRate !== undefined && this.random() < rule.resetRate) return 'reset';
    if (this.throttled(rule)) return 'throttle';
    if (rule.errorRate !== undefined && this.random() < rule.errorRate) return 'error';
    return 'none';
  }

  private throttled(rule: FaultRule): boolean {
    if (rule.throttleAboveRps === undefined) {
      return rule.throttleRate !== undefined && this.random() < rule.throttleRate;
    }
    const now = this.clock();
    let window = this.admitted.get(rule);
    if (!window) {
      window = [];
      this.admitted.set(rule, window);
    }
    while (window.length > 0 && window[0]! <= now - 1000) window.shift();
    if (window.length >= rule.throttleAboveRps && this.random() < (rule.throttleRate ?? 1)) return true;
    window.push(now);
    return false;
  }
}
