import type { EventStreamModel } from '../modules/customer-profiles/mappers.js';
import type { InternetEventModel } from '../modules/internet-monitor/mappers.js';
import type { DatasetGroupModel, EventTrackerModel } from '../modules/personalize/mappers.js';

export type CachedType = 'EventStream' | 'EventTracker' | 'DatasetGroup' | 'InternetEvent' | 'List';

/**
 * How long a lookup stays true depends on the state it found: a resolved internet event never changes, a tracker
 * being created changes within seconds. Keys are `<Type>.<STATE>`; values are seconds.
 */
export const DEFAULT_TTL_SECONDS: Record<string, number> = {
  // Resolved events are history: they only change if AWS amends them.
  'InternetEvent.RESOLVED': 3600,
  // Ongoing events can end at any moment; half a minute matches the Internet Weather Map's refresh.
  'InternetEvent.ACTIVE': 30,
  // Stable tracker and group states change only when someone deletes them.
  'EventTracker.ACTIVE': 600,
  'EventTracker.CREATE_FAILED': 300,
  // Transitional states move on within seconds to minutes: stay close to AWS.
  'EventTracker.TRANSITIONAL': 5,
  'EventTracker.UNKNOWN': 5,
  'DatasetGroup.ACTIVE': 600,
  'DatasetGroup.CREATE_FAILED': 300,
  'DatasetGroup.TRANSITIONAL': 5,
  // A running, healthy stream is the steady state; a stopped or unhealthy one is usually being fixed.
  'EventStream.RUNNING_HEALTHY': 120,
  'EventStream.DEGRADED': 15,
  // "Does not exist" is cached briefly so a hot miss cannot hammer AWS, but a new resource shows up soon.
  'NotFound.ANY': 10,
  // List pages see creations and deletions of many resources.
  'List.ANY': 15,
};

const TRACKER_STABLE = new Set(['ACTIVE', 'CREATE_FAILED']);

/** The state key a value is cached under, e.g. `EventTracker.TRANSITIONAL`. */
export function stateKey(type: CachedType, value: unknown): string {
  if (value === null || value === undefined) return 'NotFound.ANY';
  switch (type) {
    case 'InternetEvent':
      return `InternetEvent.${(value as InternetEventModel).status}`;
    case 'EventTracker': {
      const status = (value as EventTrackerModel).status;
      if (TRACKER_STABLE.has(status)) return `EventTracker.${status}`;
      return status === 'UNKNOWN' ? 'EventTracker.UNKNOWN' : 'EventTracker.TRANSITIONAL';
    }
    case 'DatasetGroup': {
      const status = (value as DatasetGroupModel).status.toUpperCase().replace(/\s+/g, '_');
      return TRACKER_STABLE.has(status) ? `DatasetGroup.${status}` : 'DatasetGroup.TRANSITIONAL';
    }
    case 'EventStream': {
      const s = value as EventStreamModel;
      return s.state === 'RUNNING' && s.destination?.status !== 'UNHEALTHY' ? 'EventStream.RUNNING_HEALTHY' : 'EventStream.DEGRADED';
    }
    case 'List':
      return 'List.ANY';
  }
}

export class TtlPolicy {
  private readonly seconds: Record<string, number>;

  constructor(overrides: Record<string, number> = {}) {
    this.seconds = { ...DEFAULT_TTL_SECONDS, ...overrides };
  }

  ttlMs(type: CachedType, value: unknown): number {
    return (this.seconds[stateKey(type, value)] ?? 0) * 1000;
  }

  /** Parses `EventStream.DEGRADED=10,InternetEvent.RESOLVED=86400`; unknown keys are errors. */
  static parseOverrides(text: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = /^([A-Za-z]+\.[A-Z_]+)=(\d+)$/.exec(part);
      if (!m || !(m[1]! in DEFAULT_TTL_SECONDS)) {
        throw new Error(`"${part}" is not <State>=<seconds> with a state among: ${Object.keys(DEFAULT_TTL_SECONDS).join(', ')}`);
      }
      out[m[1]!] = Number(m[2]);
    }
    return out;
  }
}
