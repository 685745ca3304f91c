import { createHash } from 'node:crypto';
import { datasetGroupArnFor, eventStreamArnFor, eventTrackerArnFor, internetEventArnFor } from './arns.js';
import type { ClientLocationFixture, Fixtures } from './fixtures.js';

/*
 * The in-memory data the operations read: fixtures with defaults applied, ARNs derived,
 * timestamps parsed, and indexes for the Get/Describe lookups. Lists keep fixture order.
 */

export interface EventStreamRecord {
  readonly DomainName: string;
  readonly EventStreamName: string;
  readonly EventStreamArn: string;
  readonly CreatedAt: Date;
  /** RUNNING or STOPPED, or a value AWS may add (enums are open). */
  readonly State: string;
  readonly StoppedSince?: Date;
  readonly DestinationDetails: {
    readonly Uri: string;
    readonly Status: string;
    readonly UnhealthySince?: Date;
    readonly Message?: string;
  };
  readonly Tags?: Readonly<Record<string, string>>;
}

export interface DomainRecord {
  readonly DomainName: string;
  readonly eventStreams: readonly EventStreamRecord[];
  readonly eventStreamsByName: ReadonlyMap<string, EventStreamRecord>;
}

export interface DatasetGroupRecord {
  readonly name: string;
  readonly datasetGroupArn: string;
  readonly status: string;
  readonly roleArn?: string;
  readonly kmsKeyArn?: string;
  readonly creationDateTime: Date;
  readonly lastUpdatedDateTime: Date;
  readonly failureReason?: string;
  readonly domain?: string;
}

export interface EventTrackerRecord {
  readonly name: string;
  readonly eventTrackerArn: string;
  readonly accountId: string;
  readonly trackingId: string;
  readonly datasetGroupArn: string;
  readonly status: string;
  readonly creationDateTime: Date;
  readonly lastUpdatedDateTime: Date;
}

export interface InternetEventRecord {
  readonly EventId: string;
  readonly EventArn: string;
  readonly StartedAt: Date;
  readonly EndedAt?: Date;
  readonly ClientLocation: ClientLocationFixture;
  readonly EventType: string;
  readonly EventStatus: string;
}

export interface RegionStore {
  readonly domains: ReadonlyMap<string, DomainRecord>;
  readonly datasetGroups: readonly DatasetGroupRecord[];
  readonly datasetGroupsByArn: ReadonlyMap<string, DatasetGroupRecord>;
  readonly eventTrackers: readonly EventTrackerRecord[];
  readonly eventTrackersByArn: ReadonlyMap<string, EventTrackerRecord>;
}

// A region the fixtures do not mention is still a valid region: it simply has no resources.
const EMPTY_REGION: RegionStore = {
  domains: new Map(),
  datasetGroups: [],
  datasetGroupsByArn: new Map(),
  eventTrackers: [],
  eventTrackersByArn: new Map(),
};

/** A tracker created or deleted through the API, moving through its statuses on the emulator's clock (lifecycle.ts). */
export interface TrackerLifecycle {
  readonly region: string;
  readonly arn: string;
  readonly createdAt?: Date;
  readonly deleteRequestedAt?: Date;
}

export class EmulatorStore {
  /** The regions as writes left them; records are never changed in place, so the fixtures' stay as loaded. */
  private regions: Map<string, RegionStore>;
  /** Trackers still moving between statuses, by ARN. */
  readonly trackerLifecycles = new Map<string, TrackerLifecycle>();

  private constructor(
    readonly accountId: string,
    private readonly fixtureRegions: ReadonlyMap<string, RegionStore>,
    readonly internetEvents: readonly InternetEventRecord[],
    readonly internetEventsById: ReadonlyMap<string, InternetEventRecord>,
  ) {
    this.regions = new Map(fixtureRegions);
  }

  region(name: string): RegionStore {
    return this.regions.get(name) ?? EMPTY_REGION;
  }

  /** Replaces a region's data with what a write made of it (writes.ts builds the new one). */
  setRegion(name: string, next: RegionStore): void {
    this.regions.set(name, next);
  }

  /** Forgets every write: the data is the fixtures' again. */
  reset(): void {
    this.regions = new Map(this.fixtureRegions);
    this.trackerLifecycles.clear();
  }

  get regionNames(): string[] {
    return [...new Set([...this.fixtureRegions.keys(), ...this.regions.keys()])];
  }

  /** Builds the store from fixtures that already passed `parseFixtures`. */
  static fromFixtures(fixtures: Fixtures): EmulatorStore {
    const { accountId } = fixtures;
    const regions = new Map<string, RegionStore>();
    for (const [region, regional] of Object.entries(fixtures.regions)) {
      const domains = new Map<string, DomainRecord>();
      for (const domain of regional.customerProfiles?.domains ?? []) {
        const eventStreams = (domain.eventStreams ?? []).map(
          (s): EventStreamRecord => ({
            DomainName: domain.DomainName,
            EventStreamName: s.EventStreamName,
            EventStreamArn:
              s.EventStreamArn ?? eventStreamArnFor(region, accountId, domain.DomainName, s.EventStreamName),
            CreatedAt: new Date(s.CreatedAt),
            State: s.State,
            StoppedSince: optionalDate(s.StoppedSince),
            DestinationDetails: {
              Uri: s.DestinationDetails.Uri,
              Status: s.DestinationDetails.Status,
              UnhealthySince: optionalDate(s.DestinationDetails.UnhealthySince),
              Message: s.DestinationDetails.Message,
            },
            Tags: s.Tags,
          }),
        );
        domains.set(domain.DomainName, {
          DomainName: domain.DomainName,
          eventStreams,
          eventStreamsByName: new Map(eventStreams.map((s) => [s.EventStreamName, s])),
        });
      }

      const datasetGroups = (regional.personalize?.datasetGroups ?? []).map(
        (g): DatasetGroupRecord => ({
          name: g.name,
          datasetGroupArn: g.datasetGroupArn ?? datasetGroupArnFor(region, accountId, g.name),
          status: g.status ?? 'ACTIVE',
          roleArn: g.roleArn,
          kmsKeyArn: g.kmsKeyArn,
          creationDateTime: new Date(g.creationDateTime),
          lastUpdatedDateTime: new Date(g.lastUpdatedDateTime ?? g.creationDateTime),
          failureReason: g.failureReason,
          domain: g.domain,
        }),
      );
      const eventTrackers = (regional.personalize?.eventTrackers ?? []).map((t): EventTrackerRecord => {
        const eventTrackerArn = t.eventTrackerArn ?? eventTrackerArnFor(region, accountId, t.name);
        return {
          name: t.name,
          eventTrackerArn,
          accountId: t.accountId ?? accountId,
          trackingId: t.trackingId ?? stableUuid(eventTrackerArn),
          datasetGroupArn: t.datasetGroupArn,
          status: t.status ?? 'ACTIVE',
          creationDateTime: new Date(t.creationDateTime),
          lastUpdatedDateTime: new Date(t.lastUpdatedDateTime ?? t.creationDateTime),
        };
      });
      regions.set(region, {
        domains,
        datasetGroups,
        datasetGroupsByArn: new Map(datasetGroups.map((g) => [g.datasetGroupArn, g])),
        eventTrackers,
        eventTrackersByArn: new Map(eventTrackers.map((t) => [t.eventTrackerArn, t])),
      });
    }

    const internetEvents = (fixtures.internetMonitor?.internetEvents ?? []).map(
      (e): InternetEventRecord => ({
        EventId: e.EventId,
        EventArn: e.EventArn ?? internetEventArnFor(accountId, e.EventId),
        StartedAt: new Date(e.StartedAt),
        EndedAt: optionalDate(e.EndedAt),
        ClientLocation: e.ClientLocation,
        EventType: e.EventType,
        EventStatus: e.EventStatus,
      }),
    );
    return new EmulatorStore(accountId, regions, internetEvents, new Map(internetEvents.map((e) => [e.EventId, e])));
  }
}

function optionalDate(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : new Date(value);
}

/** A UUID-shaped id that is the same for the same input on every run (fixtures stay deterministic). */
export function stableUuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
