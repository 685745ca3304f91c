export interface CacheStates {
  /** Default lifetime in seconds of each state (`RUNNING_HEALTHY`), overridable as `<Type>.<STATE>=<seconds>`. */
  readonly defaults: Readonly<Record<string, number>>;
  /** The state a model is in, one of `defaults`' keys. */
  stateOf(model: never): string;
}

/** Lifetimes that hold for every type: a miss, and a list page. */
const COMMON_TTL_SECONDS: Readonly<Record<string, number>> = {
  // "Does not exist" is cached briefly so a hot miss cannot hammer AWS, but a new resource shows up soon.
  'NotFound.ANY': 10,
  // List pages see creations and deletions of many resources.
  'List.ANY': 15,
};

/** A model the cache holds: its GraphQL type name travels with it. */
interface Kinded {
  kind?: string;
}

/**
 * How long a lookup stays true depends on the state it found: a resolved internet event never changes, a tracker
 * being created changes within seconds. Each module says which states its types have and how long each lasts
 * (`cacheStates`); keys are `<Type>.<STATE>`, values are seconds, overridable with CACHE_TTLS.
 */
export class TtlPolicy {
  private readonly seconds: Record<string, number>;

  constructor(
    private readonly states: Readonly<Record<string, CacheStates>>,
    overrides: Record<string, number> = {},
  ) {
    this.seconds = { ...TtlPolicy.defaults(states), ...overrides };
  }

  /** Every `<Type>.<STATE>` with its default lifetime in seconds. */
  static defaults(states: Readonly<Record<string, CacheStates>>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [type, { defaults }] of Object.entries(states)) {
      for (const [state, seconds] of Object.entries(defaults)) out[`${type}.${state}`] = seconds;
    }
    return { ...out, ...COMMON_TTL_SECONDS };
  }

  /** The state key a value is cached under, e.g. `<Type>.TRANSITIONAL`; lists are `List.ANY`. */
  stateKey(value: unknown, isList = false): string {
    if (isList) return 'List.ANY';
    if (value === null || value === undefined) return 'NotFound.ANY';
    const kind = (value as Kinded).kind;
    const states = kind ? this.states[kind] : undefined;
    return states && kind ? `${kind}.${states.stateOf(value as never)}` : 'NotFound.ANY';
  }

  /** The longest lifetime of any state: how long a write's version must be remembered (resource-cache.ts). */
  get maxTtlMs(): number {
    return Math.max(0, ...Object.values(this.seconds)) * 1000;
  }

  ttlMs(value: unknown, isList = false): number {
    return (this.seconds[this.stateKey(value, isList)] ?? 0) * 1000;
  }

  /** Parses `<Type>.<STATE>=<seconds>,...` (e.g. `List.ANY=30`); keys not in `known` are errors. */
  static parseOverrides(text: string, known: Readonly<Record<string, number>>): Record<string, number> {
    const out: Record<string, number> = {};
    for (const part of text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const m = /^([A-Za-z]+\.[A-Z_]+)=(\d+)$/.exec(part);
      const key = m?.[1];
      if (!m || !key || !(key in known)) {
        throw new Error(`"${part}" is not <State>=<seconds> with a state among: ${Object.keys(known).join(', ')}`);
      }
      out[key] = Number(m[2]);
    }
    return out;
  }
}
