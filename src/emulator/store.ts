import { createHash } from 'node:crypto';
import {
  datasetGroupArnFor,
  eventStreamArnFor,
  eventTrackerArnFor,
  internetEventArnFor,
  kinesisStreamArnFor,
} from './arns.js';
import {
  type ClientLocationFixture,
  type FixtureAccount,
  type FixturesDocument,
  type InternetEventFixture,
  type KinesisStreamFixture,
  fixtureAccounts,
} from './fixtures.js';

/*
 * The in-memory data the operations read: fixtures with defaults applied, ARNs derived,
 * timestamps parsed, and indexes for the Get/Describe lookups. Lists keep fixture order. One EmulatorStore holds one
 * account; the EmulatorEstate holds every account of the fixtures, the first being the long-term credentials' own.
 */

/** A domain without a CreatedAt and without event streams to date it by gets this one. */
export const DEFAULT_DOMAIN_CREATED_AT = '2024-01-01T00:00:00Z';

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
  readonly CreatedAt: Date;
  readonly LastUpdatedAt: Date;
  readonly Tags?: Readonly<Record<string, string>>;
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

/** StreamDescriptionSummary, with its defaults applied and its timestamp parsed. */
export interface KinesisStreamRecord extends Omit<KinesisStreamFixture, 'StreamARN' | 'StreamCreationTimestamp'> {
  readonly StreamARN: string;
  readonly StreamCreationTimestamp: Date;
  readonly EnhancedMonitoring: NonNullable<KinesisStreamFixture['EnhancedMonitoring']>;
}

export interface RegionStore {
  readonly domains: ReadonlyMap<string, DomainRecord>;
  readonly datasetGroups: readonly DatasetGroupRecord[];
  readonly datasetGroupsByArn: ReadonlyMap<string, DatasetGroupRecord>;
  readonly eventTrackers: readonly EventTrackerRecord[];
  readonly eventTrackersByArn: ReadonlyMap<string, EventTrackerRecord>;
  readonly kinesisStreams: readonly KinesisStreamRecord[];
  readonly kinesisStreamsByName: ReadonlyMap<string, KinesisStreamRecord>;
}

// A region the fixtures do not mention is still a valid region: it simply has no resources.
const EMPTY_REGION: RegionStore = {
  domains: new Map(),
  datasetGroups: [],
  datasetGroupsByArn: new Map(),
  eventTrackers: [],
  eventTrackersByArn: new Map(),
  kinesisStreams: [],
  kinesisStreamsByName: new Map(),
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

  /** The store of the fixtures' first account (the long-term credentials' own); EmulatorEstate holds them all. */
  static fromFixtures(fixtures: FixturesDocument): EmulatorStore {
    return EmulatorEstate.fromFixtures(fixtures).defaultAccount;
  }

  /** One account of fixtures that already passed `parseFixtures`; internet events are every account's. */
  static fromAccount(account: FixtureAccount, internetEventFixtures: readonly InternetEventFixture[]): EmulatorStore {
    const { accountId } = account;
    const regions = new Map<string, RegionStore>();
    for (const [region, regional] of Object.entries(account.regions)) {
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
        const createdAt =
          domain.CreatedAt ??
          eventStreams.reduce<string | undefined>(
            (earliest, s) =>
              earliest === undefined || s.CreatedAt.toISOString() < earliest ? s.CreatedAt.toISOString() : earliest,
            undefined,
          ) ??
          DEFAULT_DOMAIN_CREATED_AT;
        domains.set(domain.DomainName, {
          DomainName: domain.DomainName,
          CreatedAt: new Date(createdAt),
          LastUpdatedAt: new Date(domain.LastUpdatedAt ?? createdAt),
          Tags: domain.Tags,
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
      const kinesisStreams = (regional.kinesis?.streams ?? []).map(
        (k): KinesisStreamRecord => ({
          ...k,
          StreamARN: k.StreamARN ?? kinesisStreamArnFor(region, accountId, k.StreamName),
          StreamCreationTimestamp: new Date(k.StreamCreationTimestamp),
          EnhancedMonitoring: k.EnhancedMonitoring ?? [{ ShardLevelMetrics: [] }],
        }),
      );
      regions.set(region, {
        domains,
        datasetGroups,
        datasetGroupsByArn: new Map(datasetGroups.map((g) => [g.datasetGroupArn, g])),
        eventTrackers,
        eventTrackersByArn: new Map(eventTrackers.map((t) => [t.eventTrackerArn, t])),
        kinesisStreams,
        kinesisStreamsByName: new Map(kinesisStreams.map((k) => [k.StreamName, k])),
      });
    }

    const internetEvents = internetEventFixtures.map(
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

/**
 * Every account of the fixtures, in their order. The first owns the long-term credentials; AssumeRole reaches the
 * others (and may take the roles each lists, or any role when it lists none).
 */
export class EmulatorEstate {
  private constructor(
    private readonly accounts: ReadonlyMap<string, EmulatorStore>,
    private readonly roles: ReadonlyMap<string, ReadonlySet<string> | undefined>,
  ) {}

  static fromFixtures(fixtures: FixturesDocument): EmulatorEstate {
    const internetEvents = fixtures.internetMonitor?.internetEvents ?? [];
    const accounts = fixtureAccounts(fixtures);
    return new EmulatorEstate(
      new Map(accounts.map((a) => [a.accountId, EmulatorStore.fromAccount(a, internetEvents)])),
      new Map(accounts.map((a) => [a.accountId, a.roles === undefined ? undefined : new Set(a.roles)])),
    );
  }

  /** The account of the long-term credentials: the first of the fixtures. */
  get defaultAccount(): EmulatorStore {
    return this.accounts.values().next().value!;
  }

  get accountIds(): string[] {
    return [...this.accounts.keys()];
  }

  account(accountId: string): EmulatorStore | undefined {
    return this.accounts.get(accountId);
  }

  /** Whether AssumeRole may take `roleName` in `accountId`. */
  hasRole(accountId: string, roleName: string): boolean {
    if (!this.accounts.has(accountId)) return false;
    const roles = this.roles.get(accountId);
    return roles === undefined || roles.has(roleName);
  }

  /** Every account's data back to the fixtures'. */
  reset(): void {
    for (const store of this.accounts.values()) store.reset();
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
