import { datasetGroupArnFor } from './arns.js';
import { DEMO_NOW } from './demo-data.js';
import type {
  DatasetGroupFixture,
  DomainFixture,
  EventStreamFixture,
  EstateFixtures,
  EventTrackerFixture,
  Fixtures,
  InternetEventFixture,
  KinesisStreamFixture,
} from './fixtures.js';
import { pick, randomInt, seededRandom, type Random } from './random.js';

/*
 * Generated fixtures at scale for benchmarks and load tests. The same options (seed included)
 * always give the same data, so benchmark runs compare like with like.
 */

export interface GenerateOptions {
  /** Region names, or how many to take from a fixed list of real regions. Default 4. */
  regions?: readonly string[] | number;
  /** Default 20. */
  domainsPerRegion?: number;
  /** Default 25 (so 2,000 event streams with the defaults). */
  streamsPerDomain?: number;
  /** Default 500; about nine in ten get their one event tracker (about 1,800 trackers). */
  datasetGroupsPerRegion?: number;
  /** Global internet events. Default 2,000. */
  internetEvents?: number;
  /** Default 1. */
  seed?: number;
  /** Default DEMO_ACCOUNT_ID's neighbour 210987654321, so generated and demo ARNs never collide. */
  accountId?: string;
  /** The latest instant in the data (ISO-8601). Default DEMO_NOW. */
  now?: string;
}

const REGION_POOL = [
  'us-east-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-2',
  'us-east-2',
  'us-west-1',
  'eu-central-1',
  'eu-west-2',
  'eu-north-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-south-1',
  'ca-central-1',
  'sa-east-1',
];

const DOMAIN_PREFIXES = [
  'retail',
  'travel',
  'banking',
  'telco',
  'media',
  'grocery',
  'fashion',
  'gaming',
  'insurance',
  'health',
];
const DOMAIN_SUFFIXES = [
  'customers',
  'members',
  'subscribers',
  'shoppers',
  'accounts',
  'guests',
  'players',
  'patients',
];
const STREAM_TOPICS = [
  'orders',
  'profile-changes',
  'sessions',
  'consents',
  'loyalty',
  'returns',
  'payments',
  'support-cases',
  'preferences',
  'referrals',
];
const STREAM_SINKS = ['to-kinesis', 'feed', 'export', 'sync', 'events'];
const UNHEALTHY_MESSAGES = [
  'Kinesis stream is not accessible: the service role is missing kinesis:PutRecords permission.',
  'Provisioned throughput exceeded on the destination stream; records are being retried.',
  'Destination stream was deleted (ResourceNotFoundException).',
  'KMS key for the destination stream is disabled (KMSDisabledException).',
];
const GROUP_TOPICS = [
  'storefront',
  'checkout',
  'catalog',
  'homepage',
  'search',
  'email',
  'watch-next',
  'trending',
  'bundles',
  'reorder',
];
const TRACKER_STATUSES = [
  'ACTIVE',
  'ACTIVE',
  'ACTIVE',
  'ACTIVE',
  'ACTIVE',
  'ACTIVE',
  'CREATE PENDING',
  'CREATE IN_PROGRESS',
  'CREATE FAILED',
  'DELETE PENDING',
  'DELETE IN_PROGRESS',
];
const LOCATIONS = [
  {
    City: 'Ashburn',
    Subdivision: 'Virginia',
    Metro: 'Washington DC',
    Country: 'United States',
    Latitude: 39.0438,
    Longitude: -77.4874,
  },
  {
    City: 'Chicago',
    Subdivision: 'Illinois',
    Metro: 'Chicago',
    Country: 'United States',
    Latitude: 41.8781,
    Longitude: -87.6298,
  },
  {
    City: 'Dallas',
    Subdivision: 'Texas',
    Metro: 'Dallas-Fort Worth',
    Country: 'United States',
    Latitude: 32.7767,
    Longitude: -96.797,
  },
  { City: 'Toronto', Subdivision: 'Ontario', Country: 'Canada', Latitude: 43.6532, Longitude: -79.3832 },
  { City: 'São Paulo', Subdivision: 'São Paulo', Country: 'Brazil', Latitude: -23.5505, Longitude: -46.6333 },
  {
    City: 'London',
    Subdivision: 'England',
    Metro: 'London',
    Country: 'United Kingdom',
    Latitude: 51.5072,
    Longitude: -0.1276,
  },
  { City: 'Frankfurt am Main', Subdivision: 'Hesse', Country: 'Germany', Latitude: 50.1109, Longitude: 8.6821 },
  { City: 'Madrid', Subdivision: 'Community of Madrid', Country: 'Spain', Latitude: 40.4168, Longitude: -3.7038 },
  { City: 'Lagos', Subdivision: 'Lagos', Country: 'Nigeria', Latitude: 6.5244, Longitude: 3.3792 },
  {
    City: 'Mumbai',
    Subdivision: 'Maharashtra',
    Metro: 'Mumbai',
    Country: 'India',
    Latitude: 19.076,
    Longitude: 72.8777,
  },
  { City: 'Singapore', Country: 'Singapore', Latitude: 1.3521, Longitude: 103.8198 },
  { City: 'Tokyo', Subdivision: 'Tokyo', Country: 'Japan', Latitude: 35.6762, Longitude: 139.6503 },
  {
    City: 'Sydney',
    Subdivision: 'New South Wales',
    Metro: 'Sydney',
    Country: 'Australia',
    Latitude: -33.8688,
    Longitude: 151.2093,
  },
];
const NETWORKS = [
  { ASName: 'COMCAST-7922', ASNumber: 7922 },
  { ASName: 'CHARTER-20115', ASNumber: 20115 },
  { ASName: 'DTAG Internet service provider operations', ASNumber: 3320 },
  { ASName: 'VODAFONE-UK-ASN', ASNumber: 5378 },
  { ASName: 'TELSTRA-AS-AP Telstra Limited', ASNumber: 1221 },
  { ASName: 'RELIANCEJIO-IN Reliance Jio Infocomm Limited', ASNumber: 55836 },
  { ASName: 'NTT-COMMUNICATIONS-2914', ASNumber: 2914 },
  { ASName: 'Private-use ASN (regional network)', ASNumber: 4200000001 },
  { ASName: 'Private-use ASN (campus network)', ASNumber: 4294967294 },
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function generateFixtures(opts: GenerateOptions = {}): Fixtures {
  const random = seededRandom(opts.seed ?? 1);
  const accountId = opts.accountId ?? '210987654321';
  const nowMs = Date.parse(opts.now ?? DEMO_NOW);
  const regions = resolveRegions(opts.regions ?? 4);
  const iso = (ms: number) => new Date(Math.round(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  const before = (maxMs: number, minMs = 0) => nowMs - minMs - Math.floor(random() * (maxMs - minMs));

  const fixtures: Fixtures = { accountId, regions: {} };
  regions.forEach((region, r) => {
    const domains: DomainFixture[] = [];
    for (let d = 0; d < (opts.domainsPerRegion ?? 20); d += 1) {
      const DomainName = `${pick(random, DOMAIN_PREFIXES)}-${pick(random, DOMAIN_SUFFIXES)}-${r}${String(d).padStart(3, '0')}`;
      const eventStreams: EventStreamFixture[] = [];
      for (let s = 0; s < (opts.streamsPerDomain ?? 25); s += 1) {
        eventStreams.push(
          generateStream(
            random,
            region,
            accountId,
            `${pick(random, STREAM_TOPICS)}-${pick(random, STREAM_SINKS)}-${s}`,
            before,
            iso,
          ),
        );
      }
      domains.push({ DomainName, eventStreams });
    }

    const datasetGroups: DatasetGroupFixture[] = [];
    const eventTrackers: EventTrackerFixture[] = [];
    for (let g = 0; g < (opts.datasetGroupsPerRegion ?? 500); g += 1) {
      const name = `${pick(random, GROUP_TOPICS)}-recs-${r}${String(g).padStart(4, '0')}`;
      const created = before(400 * DAY, 2 * DAY);
      datasetGroups.push({
        name,
        status: 'ACTIVE',
        creationDateTime: iso(created),
        lastUpdatedDateTime: iso(created + randomInt(random, 60, 3600) * 1000),
        domain: random() < 0.7 ? 'ECOMMERCE' : 'VIDEO_ON_DEMAND',
      });
      // AWS allows one event tracker per dataset group; leave some groups without one.
      if (random() < 0.9) {
        const trackerCreated = created + randomInt(random, 1, 48) * HOUR;
        eventTrackers.push({
          name: `${name}-tracker`.slice(0, 63),
          datasetGroupArn: datasetGroupArnFor(region, accountId, name),
          status: pick(random, TRACKER_STATUSES),
          creationDateTime: iso(trackerCreated),
          lastUpdatedDateTime: iso(trackerCreated + randomInt(random, 30, 900) * 1000),
        });
      }
    }
    fixtures.regions[region] = {
      customerProfiles: { domains },
      personalize: { datasetGroups, eventTrackers },
      kinesis: { streams: kinesisStreamsBehind(domains, iso(nowMs - 600 * DAY)) },
    };
  });

  const internetEvents: InternetEventFixture[] = [];
  const count = opts.internetEvents ?? 2000;
  for (let i = 0; i < count; i += 1) {
    // Newest first, spread over the 30 days before `now`.
    const started = nowMs - Math.floor(((i + random()) / Math.max(count, 1)) * 30 * DAY);
    const active = nowMs - started < 6 * HOUR && random() < 0.6;
    const location = pick(random, LOCATIONS);
    const jitter = () => Math.round((random() - 0.5) * 2000) / 10000;
    internetEvents.push({
      EventId: randomUuid(random),
      StartedAt: iso(started),
      EndedAt: active ? undefined : iso(Math.min(nowMs, started + randomInt(random, 10, 360) * 60_000)),
      ClientLocation: {
        ...pick(random, NETWORKS),
        ...location,
        Latitude: Math.round((location.Latitude + jitter()) * 10000) / 10000,
        Longitude: Math.round((location.Longitude + jitter()) * 10000) / 10000,
      },
      EventType: random() < 0.55 ? 'PERFORMANCE' : 'AVAILABILITY',
      EventStatus: active ? 'ACTIVE' : 'RESOLVED',
    });
  }
  fixtures.internetMonitor = { internetEvents: internetEvents.map(withoutUndefined) };
  return fixtures;
}

/**
 * One Kinesis data stream per destination name of the region (event streams of several domains may share one),
 * without drawing on the random sequence, so the rest of the data is what it was before streams were generated.
 */
function kinesisStreamsBehind(domains: readonly DomainFixture[], created: string): KinesisStreamFixture[] {
  const names = new Set(
    domains.flatMap((d) => (d.eventStreams ?? []).map((s) => s.DestinationDetails.Uri.split(':stream/')[1]!)),
  );
  return [...names].map((StreamName, i) => {
    const provisioned = i % 4 === 0;
    return {
      StreamName,
      StreamStatus: i % 17 === 5 ? 'UPDATING' : 'ACTIVE',
      StreamModeDetails: { StreamMode: provisioned ? 'PROVISIONED' : 'ON_DEMAND' },
      RetentionPeriodHours: provisioned ? 168 : 24,
      StreamCreationTimestamp: created,
      EncryptionType: provisioned ? 'NONE' : 'KMS',
      ...(provisioned ? {} : { KeyId: 'alias/aws/kinesis' }),
      OpenShardCount: provisioned ? 1 + (i % 8) : 4,
      ConsumerCount: i % 3,
    };
  });
}

/**
 * Generated fixtures for several accounts (the first owning the long-term credentials), each account generated as by
 * generateFixtures with its own seed (`seed + index`); internet events are the first account's (they are global).
 * `roles` (default none: any role name) is every member account's list of roles AssumeRole may take.
 */
export function generateEstateFixtures(
  accountIds: readonly string[],
  opts: Omit<GenerateOptions, 'accountId'> & { roles?: readonly string[] } = {},
): EstateFixtures {
  if (accountIds.length < 1) throw new RangeError('generateEstateFixtures needs at least one account id');
  const { roles, ...options } = opts;
  const accounts: EstateFixtures['accounts'] = {};
  let internetMonitor: Fixtures['internetMonitor'];
  accountIds.forEach((accountId, i) => {
    const generated = generateFixtures({
      ...options,
      accountId,
      seed: (options.seed ?? 1) + i,
      internetEvents: i === 0 ? options.internetEvents : 0,
    });
    if (i === 0) internetMonitor = generated.internetMonitor;
    accounts[accountId] =
      i > 0 && roles ? { regions: generated.regions, roles: [...roles] } : { regions: generated.regions };
  });
  return { accounts, internetMonitor };
}

function generateStream(
  random: Random,
  region: string,
  accountId: string,
  name: string,
  before: (maxMs: number, minMs?: number) => number,
  iso: (ms: number) => string,
): EventStreamFixture {
  const stopped = random() < 0.15;
  const unhealthy = random() < 0.12;
  const stream: EventStreamFixture = {
    EventStreamName: name,
    CreatedAt: iso(before(500 * DAY, 30 * DAY)),
    State: stopped ? 'STOPPED' : 'RUNNING',
    DestinationDetails: {
      Uri: `arn:aws:kinesis:${region}:${accountId}:stream/${name}`,
      Status: unhealthy ? 'UNHEALTHY' : 'HEALTHY',
    },
  };
  if (stopped) stream.StoppedSince = iso(before(29 * DAY));
  if (unhealthy) {
    stream.DestinationDetails.UnhealthySince = iso(before(10 * DAY));
    stream.DestinationDetails.Message = pick(random, UNHEALTHY_MESSAGES);
  }
  if (random() < 0.5)
    stream.Tags = { Environment: random() < 0.8 ? 'production' : 'staging', Team: pick(random, STREAM_TOPICS) };
  return stream;
}

function resolveRegions(regions: readonly string[] | number): string[] {
  if (typeof regions !== 'number') return [...regions];
  if (!Number.isInteger(regions) || regions < 1 || regions > REGION_POOL.length) {
    throw new RangeError(`regions must be between 1 and ${REGION_POOL.length} (or a list of region names)`);
  }
  return REGION_POOL.slice(0, regions);
}

function randomUuid(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
