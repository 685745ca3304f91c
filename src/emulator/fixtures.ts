import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { datasetGroupArnFor, eventTrackerArnFor } from './arns.js';
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

export const regionFixturesSchema = z.strictObject({
  customerProfiles: z.strictObject({ domains: z.array(domainFixtureSchema) }).optional(),
  personalize: z
    .strictObject({
      datasetGroups: z.array(datasetGroupFixtureSchema).optional(),
      eventTrackers: z.array(eventTrackerFixtureSchema).optional(),
    })
    .optional(),
});

export const fixturesSchema = z.strictObject({
  accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  regions: z.record(
    z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be a region name such as us-east-1'),
    regionFixturesSchema,
  ),
  /** Internet events are global: every region serves the same list. */
  internetMonitor: z.strictObject({ internetEvents: z.array(internetEventFixtureSchema) }).optional(),
});

export type Fixtures = z.infer<typeof fixturesSchema>;
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

/** Validates parsed JSON as fixtures: structure and constraints first, then cross-references. */
export function parseFixtures(data: unknown, source = 'fixtures'): Fixtures {
  const parsed = fixturesSchema.safeParse(data);
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
export function loadFixturesFile(path: string): Fixtures {
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
function crossReferenceIssues(fixtures: Fixtures): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: PropertyKey[], message: string) => issues.push({ path: formatPath(path), message });

  for (const [region, regional] of Object.entries(fixtures.regions)) {
    const domainSeen = new Map<string, number>();
    regional.customerProfiles?.domains.forEach((domain, d) => {
      const domainPath = ['regions', region, 'customerProfiles', 'domains', d];
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
      const arn = group.datasetGroupArn ?? datasetGroupArnFor(region, fixtures.accountId, group.name);
      const first = groupArns.get(arn);
      if (first !== undefined)
        add(
          ['regions', region, 'personalize', 'datasetGroups', g],
          `duplicate dataset group ARN ${arn} (also datasetGroups[${first}])`,
        );
      else groupArns.set(arn, g);
    });
    const trackerArns = new Map<string, number>();
    personalize?.eventTrackers?.forEach((tracker, t) => {
      const trackerPath = ['regions', region, 'personalize', 'eventTrackers', t];
      const arn = tracker.eventTrackerArn ?? eventTrackerArnFor(region, fixtures.accountId, tracker.name);
      const first = trackerArns.get(arn);
      if (first !== undefined) add(trackerPath, `duplicate event tracker ARN ${arn} (also eventTrackers[${first}])`);
      else trackerArns.set(arn, t);
      if (!groupArns.has(tracker.datasetGroupArn)) {
        add([...trackerPath, 'datasetGroupArn'], `no dataset group with ARN ${tracker.datasetGroupArn} in ${region}`);
      }
    });
  }

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
