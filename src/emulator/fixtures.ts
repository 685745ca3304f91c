import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { datasetGroupArnFor, eventTrackerArnFor, kinesisStreamArnFor } from './arns.js';
import { formatIssues, formatPath, type ValidationIssue } from './issues.js';

/*
 * The fixtures file format. Member names are exactly the AWS output members (so a fixture can be
 * written by copying a real response), grouped by region; timestamps are ISO-8601 strings and each
 * service encodes them in its own wire format. ARNs may be omitted and are then derived (see
 * store.ts). Constraints are AWS's own (lengths, patterns, enums), so the emulator can never serve
 * data the real service could not.
 */

const isoTimestamp = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 date-time such as 2024-05-01T12:00:00Z',
});

// Customer Profiles `name` (DomainName, EventStreamName).
const profileName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9_-]+$/);
const string1To255 = z.string().min(1).max(255);

/**
 * An AWS enum member: one of the documented values, or any other upper-case value. AWS enums are open (a service
 * may add values at any time and clients must cope), so fixtures may hold values the model does not list yet;
 * lower case is refused, as no value of these services is spelt that way (it catches typos such as `running`).
 */
function openEnum(documented: readonly [string, ...string[]]) {
  return z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{0,63}$/, `must be ${documented.join(' or ')} (or another upper-case AWS enum value)`);
}

const profileTagMap = z
  .record(
    z
      .string()
      .min(1)
      .max(128)
      .regex(/^(?!aws:)[a-zA-Z+-=._:/]+$/),
    z.string().max(256),
  )
  .refine((tags) => Object.keys(tags).length >= 1 && Object.keys(tags).length <= 50, 'must have 1 to 50 tags');

export const eventStreamFixtureSchema = z.strictObject({
  EventStreamName: profileName,
  /** Optional: taken from the enclosing domain; when present it must match it. */
  DomainName: profileName.optional(),
  EventStreamArn: string1To255.optional(),
  CreatedAt: isoTimestamp,
  State: openEnum(['RUNNING', 'STOPPED']),
  StoppedSince: isoTimestamp.optional(),
  DestinationDetails: z.strictObject({
    Uri: string1To255,
    Status: openEnum(['HEALTHY', 'UNHEALTHY']),
    UnhealthySince: isoTimestamp.optional(),
    Message: z.string().min(1).max(1000).optional(),
  }),
  Tags: profileTagMap.optional(),
});

export const domainFixtureSchema = z.strictObject({
  DomainName: profileName,
  /** Defaults to the earliest CreatedAt of its event streams (or DEFAULT_DOMAIN_CREATED_AT without any). */
  CreatedAt: isoTimestamp.optional(),
  /** Defaults to CreatedAt. */
  LastUpdatedAt: isoTimestamp.optional(),
  Tags: profileTagMap.optional(),
  eventStreams: z.array(eventStreamFixtureSchema).optional(),
});

const personalizeName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/);
const personalizeArn = z
  .string()
  .max(256)
  .regex(/^arn:([a-z\d-]+):personalize:.*:.*:.+$/);

export const datasetGroupFixtureSchema = z.strictObject({
  name: personalizeName,
  datasetGroupArn: personalizeArn.optional(),
  /** Free-form in the model; defaults to ACTIVE. */
  status: z.string().min(1).max(256).optional(),
  roleArn: z
    .string()
    .max(256)
    .regex(/^arn:([a-z\d-]+):iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/)
    .optional(),
  kmsKeyArn: z
    .string()
    .max(2048)
    .regex(/^arn:aws.*:kms:.*:[0-9]{12}:key\//)
    .optional(),
  creationDateTime: isoTimestamp,
  /** Defaults to creationDateTime. */
  lastUpdatedDateTime: isoTimestamp.optional(),
  failureReason: z.string().optional(),
  domain: openEnum(['ECOMMERCE', 'VIDEO_ON_DEMAND']).optional(),
});

export const eventTrackerFixtureSchema = z.strictObject({
  name: personalizeName,
  eventTrackerArn: personalizeArn.optional(),
  /** Defaults to the fixtures' accountId. */
  accountId: z.string().max(256).optional(),
  /** Defaults to a stable UUID derived from the tracker ARN. */
  trackingId: z.string().max(256).optional(),
  /** Must name a dataset group of the same region in these fixtures. */
  datasetGroupArn: personalizeArn,
  /** Free-form in the model; the documented values are CREATE PENDING, CREATE IN_PROGRESS, ACTIVE, CREATE FAILED, DELETE PENDING, DELETE IN_PROGRESS. Defaults to ACTIVE. */
  status: z.string().min(1).max(256).optional(),
  creationDateTime: isoTimestamp,
  /** Defaults to creationDateTime. */
  lastUpdatedDateTime: isoTimestamp.optional(),
});

// The model marks ASNumber, Latitude and Longitude required; fixtures may leave them out, to show how a client
// copes with a member AWS does not send (the emulator then sends none).
export const clientLocationFixtureSchema = z.strictObject({
  ASName: z.string(),
  // A `long` in the model: 4-byte AS numbers go up to 4294967295 (beyond a signed 32-bit int).
  ASNumber: z.number().int().min(0).max(4_294_967_295).optional(),
  Country: z.string(),
  Subdivision: z.string().optional(),
  Metro: z.string().optional(),
  City: z.string(),
  Latitude: z.number().min(-90).max(90).optional(),
  Longitude: z.number().min(-180).max(180).optional(),
});

export const internetEventFixtureSchema = z.strictObject({
  EventId: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[a-zA-Z0-9-]+$/),
  EventArn: z
    .string()
    .min(20)
    .max(2048)
    .regex(/^arn:.*/)
    .optional(),
  StartedAt: isoTimestamp,
  /** Absent while the event is ongoing. */
  EndedAt: isoTimestamp.optional(),
  ClientLocation: clientLocationFixtureSchema,
  EventType: openEnum(['AVAILABILITY', 'PERFORMANCE']),
  EventStatus: openEnum(['ACTIVE', 'RESOLVED']),
});

// Kinesis StreamName: 1-128, [a-zA-Z0-9_.-]+.
const kinesisStreamName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9_.-]+$/);

/** A Kinesis data stream: exactly the members of DescribeStreamSummary's StreamDescriptionSummary. */
export const kinesisStreamFixtureSchema = z.strictObject({
  StreamName: kinesisStreamName,
  /** Defaults to arn:<partition>:kinesis:<region>:<account>:stream/<StreamName>; when present it must be that. */
  StreamARN: z
    .string()
    .min(1)
    .max(2048)
    .regex(/^arn:aws.*:kinesis:.*:\d{12}:stream\/\S+$/)
    .optional(),
  StreamStatus: openEnum(['CREATING', 'DELETING', 'ACTIVE', 'UPDATING']),
  StreamModeDetails: z.strictObject({ StreamMode: openEnum(['PROVISIONED', 'ON_DEMAND']) }),
  // Kinesis keeps records 24 hours to 365 days.
  RetentionPeriodHours: z.number().int().min(24).max(8760),
  StreamCreationTimestamp: isoTimestamp,
  /** Defaults to `[{ "ShardLevelMetrics": [] }]`, what AWS sends for a stream without enhanced monitoring. */
  EnhancedMonitoring: z
    .array(
      z.strictObject({
        ShardLevelMetrics: z.array(
          z.enum([
            'IncomingBytes',
            'IncomingRecords',
            'OutgoingBytes',
            'OutgoingRecords',
            'WriteProvisionedThroughputExceeded',
            'ReadProvisionedThroughputExceeded',
            'IteratorAgeMilliseconds',
            'ALL',
          ]),
        ),
      }),
    )
    .optional(),
  EncryptionType: openEnum(['NONE', 'KMS']),
  KeyId: z.string().min(1).max(2048).optional(),
  OpenShardCount: z.number().int().min(0).max(1_000_000),
  ConsumerCount: z.number().int().min(0).max(1_000_000),
});

export const regionFixturesSchema = z.strictObject({
  customerProfiles: z.strictObject({ domains: z.array(domainFixtureSchema) }).optional(),
  personalize: z
    .strictObject({
      datasetGroups: z.array(datasetGroupFixtureSchema).optional(),
      eventTrackers: z.array(eventTrackerFixtureSchema).optional(),
    })
    .optional(),
  kinesis: z.strictObject({ streams: z.array(kinesisStreamFixtureSchema) }).optional(),
});

const accountIdSchema = z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id');
const regionsSchema = z.record(
  z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be a region name such as us-east-1'),
  regionFixturesSchema,
);
/** Internet events are global: every region (of every account) serves the same list. */
const internetMonitorSchema = z.strictObject({ internetEvents: z.array(internetEventFixtureSchema) }).optional();

/** The single-account form: one account's regions. */
export const fixturesSchema = z.strictObject({
  accountId: accountIdSchema,
  regions: regionsSchema,
  internetMonitor: internetMonitorSchema,
});

// IAM role names: 1-64 of [\w+=,.@-].
const roleName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w+=,.@-]+$/, 'must be an IAM role name');

export const accountFixturesSchema = z.strictObject({
  regions: regionsSchema,
  /** The roles AssumeRole may take in this account; omitted: any role name. */
  roles: z.array(roleName).max(1000).optional(),
});

/**
 * The estate form: several accounts, in order. The first one listed owns the long-term credentials; the others are
 * reached through AssumeRole. (Twelve-digit keys are not array indexes, so JSON objects keep them in written order.)
 */
export const estateFixturesSchema = z.strictObject({
  accounts: z
    .record(accountIdSchema, accountFixturesSchema)
    .refine((accounts) => Object.keys(accounts).length >= 1, 'must list at least one account')
    .refine((accounts) => Object.keys(accounts).length <= 100, 'must list at most 100 accounts'),
  internetMonitor: internetMonitorSchema,
});

/** The single-account form (`accountId` + `regions`). */
export type Fixtures = z.infer<typeof fixturesSchema>;
/** The estate form (`accounts`). */
export type EstateFixtures = z.infer<typeof estateFixturesSchema>;
/** Either form: what the emulator accepts. */
export type FixturesDocument = Fixtures | EstateFixtures;
export type AccountFixtures = z.infer<typeof accountFixturesSchema>;
export type KinesisStreamFixture = z.infer<typeof kinesisStreamFixtureSchema>;
export type RegionFixtures = z.infer<typeof regionFixturesSchema>;
export type DomainFixture = z.infer<typeof domainFixtureSchema>;
export type EventStreamFixture = z.infer<typeof eventStreamFixtureSchema>;
export type DatasetGroupFixture = z.infer<typeof datasetGroupFixtureSchema>;
export type EventTrackerFixture = z.infer<typeof eventTrackerFixtureSchema>;
export type InternetEventFixture = z.infer<typeof internetEventFixtureSchema>;
export type ClientLocationFixture = z.infer<typeof clientLocationFixtureSchema>;

/** Fixtures that fail validation; `issues` lists every problem found, each with its path. */
export class FixturesError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly ValidationIssue[],
  ) {
    super(`Invalid emulator fixtures (${source}):\n${formatIssues(issues)}`);
    this.name = 'FixturesError';
  }
}

/** One account of either form, with the path its members are reported under. */
export interface FixtureAccount {
  readonly accountId: string;
  readonly regions: Fixtures['regions'];
  /** Undefined: AssumeRole may take any role name in the account. */
  readonly roles?: readonly string[];
  readonly path: readonly PropertyKey[];
}

export function isEstateFixtures(fixtures: FixturesDocument): fixtures is EstateFixtures {
  return 'accounts' in fixtures;
}

/** The accounts of either form, in order: the first owns the long-term credentials. */
export function fixtureAccounts(fixtures: FixturesDocument): FixtureAccount[] {
  if (!isEstateFixtures(fixtures)) return [{ accountId: fixtures.accountId, regions: fixtures.regions, path: [] }];
  return Object.entries(fixtures.accounts).map(([accountId, account]) => ({
    accountId,
    regions: account.regions,
    roles: account.roles,
    path: ['accounts', accountId],
  }));
}

/** Either form by its shape: an object with `accounts` is the estate form. */
function schemaFor(data: unknown) {
  return typeof data === 'object' && data !== null && 'accounts' in data ? estateFixturesSchema : fixturesSchema;
}

/**
 * Validates parsed JSON as fixtures of either form: structure and constraints first, then cross-references. Typed
 * fixtures come back as their own form.
 */
export function parseFixtures<T extends FixturesDocument>(data: T, source?: string): T;
export function parseFixtures(data: unknown, source?: string): FixturesDocument;
export function parseFixtures(data: unknown, source = 'fixtures'): FixturesDocument {
  const parsed = schemaFor(data).safeParse(data);
  if (!parsed.success) {
    throw new FixturesError(
      source,
      parsed.error.issues.map((issue) => {
        // Record key problems carry their reason one level down.
        const nested =
          'issues' in issue && Array.isArray(issue.issues)
            ? issue.issues.map((i: { message: string }) => i.message)
            : [];
        return { path: formatPath(issue.path), message: [issue.message, ...nested].join(': ') };
      }),
    );
  }
  const issues = crossReferenceIssues(parsed.data);
  if (issues.length > 0) throw new FixturesError(source, issues);
  return parsed.data;
}

/** Reads and validates a fixtures JSON file; every problem is reported with its path. */
export function loadFixturesFile(path: string): FixturesDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new FixturesError(path, [{ path: '', message: `cannot read file: ${(error as Error).message}` }]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new FixturesError(path, [{ path: '', message: `not valid JSON: ${(error as Error).message}` }]);
  }
  return parseFixtures(data, path);
}

/** Checks that need the whole document: uniqueness and references between resources. */
function crossReferenceIssues(fixtures: FixturesDocument): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: PropertyKey[], message: string) => issues.push({ path: formatPath(path), message });

  for (const account of fixtureAccounts(fixtures)) accountIssues(account, add);

  const eventSeen = new Map<string, number>();
  fixtures.internetMonitor?.internetEvents.forEach((event, e) => {
    const eventPath = ['internetMonitor', 'internetEvents', e];
    const first = eventSeen.get(event.EventId);
    if (first !== undefined)
      add([...eventPath, 'EventId'], `duplicate EventId "${event.EventId}" (also internetEvents[${first}])`);
    else eventSeen.set(event.EventId, e);
    if (event.EndedAt !== undefined && Date.parse(event.EndedAt) < Date.parse(event.StartedAt)) {
      add([...eventPath, 'EndedAt'], 'must not be before StartedAt');
    }
  });
  return issues;
}

type AddIssue = (path: PropertyKey[], message: string) => void;

/** One account's checks: names unique per region, trackers in a group of their region, stream ARNs their own. */
function accountIssues(account: FixtureAccount, add: AddIssue): void {
  for (const [region, regional] of Object.entries(account.regions)) {
    const domainSeen = new Map<string, number>();
    regional.customerProfiles?.domains.forEach((domain, d) => {
      const domainPath = [...account.path, 'regions', region, 'customerProfiles', 'domains', d];
      const first = domainSeen.get(domain.DomainName);
      if (first !== undefined)
        add([...domainPath, 'DomainName'], `duplicate DomainName "${domain.DomainName}" (also domains[${first}])`);
      else domainSeen.set(domain.DomainName, d);

      const streamSeen = new Map<string, number>();
      domain.eventStreams?.forEach((stream, s) => {
        const streamPath = [...domainPath, 'eventStreams', s];
        if (stream.DomainName !== undefined && stream.DomainName !== domain.DomainName) {
          add([...streamPath, 'DomainName'], `must match the enclosing domain "${domain.DomainName}"`);
        }
        const firstStream = streamSeen.get(stream.EventStreamName);
        if (firstStream !== undefined) {
          add(
            [...streamPath, 'EventStreamName'],
            `duplicate EventStreamName "${stream.EventStreamName}" (also eventStreams[${firstStream}])`,
          );
        } else streamSeen.set(stream.EventStreamName, s);
      });
    });

    const personalize = regional.personalize;
    const groupArns = new Map<string, number>();
    personalize?.datasetGroups?.forEach((group, g) => {
      const arn = group.datasetGroupArn ?? datasetGroupArnFor(region, account.accountId, group.name);
      const first = groupArns.get(arn);
      if (first !== undefined)
        add(
          [...account.path, 'regions', region, 'personalize', 'datasetGroups', g],
          `duplicate dataset group ARN ${arn} (also datasetGroups[${first}])`,
        );
      else groupArns.set(arn, g);
    });
    const trackerArns = new Map<string, number>();
    personalize?.eventTrackers?.forEach((tracker, t) => {
      const trackerPath = [...account.path, 'regions', region, 'personalize', 'eventTrackers', t];
      const arn = tracker.eventTrackerArn ?? eventTrackerArnFor(region, account.accountId, tracker.name);
      const first = trackerArns.get(arn);
      if (first !== undefined) add(trackerPath, `duplicate event tracker ARN ${arn} (also eventTrackers[${first}])`);
      else trackerArns.set(arn, t);
      if (!groupArns.has(tracker.datasetGroupArn)) {
        add([...trackerPath, 'datasetGroupArn'], `no dataset group with ARN ${tracker.datasetGroupArn} in ${region}`);
      }
    });

    const streamNames = new Map<string, number>();
    regional.kinesis?.streams.forEach((stream, k) => {
      const streamPath = [...account.path, 'regions', region, 'kinesis', 'streams', k];
      const first = streamNames.get(stream.StreamName);
      if (first !== undefined)
        add([...streamPath, 'StreamName'], `duplicate StreamName "${stream.StreamName}" (also streams[${first}])`);
      else streamNames.set(stream.StreamName, k);
      const arn = kinesisStreamArnFor(region, account.accountId, stream.StreamName);
      if (stream.StreamARN !== undefined && stream.StreamARN !== arn)
        add([...streamPath, 'StreamARN'], `must be ${arn} (the stream's name, region and account)`);
    });
  }
}
