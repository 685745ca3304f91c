import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEMO_ACCOUNT_ID,
  DEMO_DATASET_GROUP_ARN,
  DEMO_EVENT_STREAM_ARN,
  DEMO_EVENT_TRACKER_ARN,
  DEMO_INTERNET_EVENT_ID,
  DEMO_LARGE_ASN_INTERNET_EVENT_ID,
  DEMO_MEMBER_ACCOUNT_ID,
  DEMO_MEMBER_EVENT_STREAM_ARN,
  DEMO_MEMBER_KINESIS_STREAM_ARN,
  DEMO_MEMBER_REGIONS,
  DEMO_MEMBER_ROLE_ARN,
  DEMO_MEMBER_ROLE_NAME,
  DEMO_NOW,
  DEMO_REGIONS,
  FixturesError,
  demoFixtures,
  generateEstateFixtures,
  generateFixtures,
  loadFixturesFile,
  parseFixtures,
  type Fixtures,
} from '../../src/emulator/index.js';
import { EmulatorEstate, EmulatorStore } from '../../src/emulator/store.js';

const INVALID_FIXTURES = new URL('../fixtures/emulator-invalid.json', import.meta.url).pathname;

function issuesOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FixturesError);
    return [...(error as FixturesError).issues];
  }
  throw new Error('expected a FixturesError');
}

function minimal(): Fixtures {
  return {
    accountId: '123456789012',
    regions: {
      'us-east-1': {
        personalize: {
          datasetGroups: [{ name: 'g1', creationDateTime: '2024-01-01T00:00:00Z' }],
          eventTrackers: [
            {
              name: 't1',
              datasetGroupArn: 'arn:aws:personalize:us-east-1:123456789012:dataset-group/g1',
              creationDateTime: '2024-01-01T00:00:00Z',
            },
          ],
        },
      },
    },
  };
}

describe('fixtures validation', () => {
  it('loadFixturesFile reports every problem of a file with its path', () => {
    const issues = issuesOf(() => loadFixturesFile(INVALID_FIXTURES));
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'accountId',
        'regions.us-east-1.customerProfiles.domains[0].eventStreams[0].CreatedAt',
        'regions.us-east-1.customerProfiles.domains[0].eventStreams[0].State',
        'regions.us-east-1.personalize.eventTrackers[0]',
        'regions.Moon-Base-1',
        'internetMonitor.internetEvents[0].ClientLocation.Latitude',
        'internetMonitor.internetEvents[0].EventType',
      ]),
    );
    expect(issues.find((i) => i.path === 'regions.us-east-1.personalize.eventTrackers[0]')!.message).toContain(
      'trackingID',
    );
  });

  it('the error message names the file and lists each path', () => {
    expect(() => loadFixturesFile(INVALID_FIXTURES)).toThrow(/emulator-invalid\.json[\s\S]*eventStreams\[0\]\.State/);
  });

  it('a file that is not JSON is reported as such', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'emulator-fixtures-')), 'broken.json');
    writeFileSync(path, '{ "accountId": ');
    expect(issuesOf(() => loadFixturesFile(path))[0]!.message).toMatch(/^not valid JSON/);
  });

  it('a missing file is reported with its path', () => {
    expect(() => loadFixturesFile('/nonexistent/fixtures.json')).toThrow(/\/nonexistent\/fixtures\.json/);
  });

  it('a tracker must reference a dataset group of its region', () => {
    const fixtures = minimal();
    fixtures.regions['us-east-1']!.personalize!.eventTrackers![0]!.datasetGroupArn =
      'arn:aws:personalize:us-east-1:123456789012:dataset-group/other';
    expect(issuesOf(() => parseFixtures(fixtures))).toEqual([
      {
        path: 'regions.us-east-1.personalize.eventTrackers[0].datasetGroupArn',
        message: expect.stringContaining('no dataset group'),
      },
    ]);
  });

  it('duplicate names are reported at the second occurrence', () => {
    const fixtures = minimal();
    fixtures.regions['us-east-1']!.customerProfiles = {
      domains: [
        { DomainName: 'd1', eventStreams: [] },
        { DomainName: 'd1', eventStreams: [] },
      ],
    };
    expect(issuesOf(() => parseFixtures(fixtures))).toEqual([
      {
        path: 'regions.us-east-1.customerProfiles.domains[1].DomainName',
        message: expect.stringContaining('duplicate DomainName'),
      },
    ]);
  });

  it('a stream naming a different domain than its parent is rejected', () => {
    const fixtures = minimal();
    fixtures.regions['us-east-1']!.customerProfiles = {
      domains: [
        {
          DomainName: 'd1',
          eventStreams: [
            {
              EventStreamName: 's1',
              DomainName: 'd2',
              CreatedAt: '2024-01-01T00:00:00Z',
              State: 'RUNNING',
              DestinationDetails: { Uri: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', Status: 'HEALTHY' },
            },
          ],
        },
      ],
    };
    expect(issuesOf(() => parseFixtures(fixtures))[0]!.path).toBe(
      'regions.us-east-1.customerProfiles.domains[0].eventStreams[0].DomainName',
    );
  });

  it('an internet event may not end before it started', () => {
    const fixtures = minimal();
    fixtures.internetMonitor = {
      internetEvents: [
        {
          EventId: 'e1',
          StartedAt: '2024-01-02T00:00:00Z',
          EndedAt: '2024-01-01T00:00:00Z',
          ClientLocation: { ASName: 'X', ASNumber: 1, Country: 'X', City: 'X', Latitude: 0, Longitude: 0 },
          EventType: 'PERFORMANCE',
          EventStatus: 'RESOLVED',
        },
      ],
    };
    expect(issuesOf(() => parseFixtures(fixtures))[0]!.path).toBe('internetMonitor.internetEvents[0].EndedAt');
  });

  it('takes enum values AWS may add (open enums) but refuses lower-case typos, naming the documented values', () => {
    const fixtures = minimal();
    fixtures.internetMonitor = {
      internetEvents: [
        {
          EventId: 'e1',
          StartedAt: '2024-01-01T00:00:00Z',
          ClientLocation: { ASName: 'X', Country: 'X', City: 'X' },
          EventType: 'OUTAGE',
          EventStatus: 'MONITORING',
        },
      ],
    };
    const store = EmulatorStore.fromFixtures(parseFixtures(fixtures));
    expect(store.internetEventsById.get('e1')).toMatchObject({ EventType: 'OUTAGE', EventStatus: 'MONITORING' });
    // The model marks these numbers required; a fixture may leave them out, and the emulator then sends none.
    expect(store.internetEventsById.get('e1')!.ClientLocation.ASNumber).toBeUndefined();
    fixtures.internetMonitor.internetEvents[0]!.EventType = 'outage';
    expect(issuesOf(() => parseFixtures(fixtures))).toEqual([
      {
        path: 'internetMonitor.internetEvents[0].EventType',
        message: expect.stringContaining('AVAILABILITY or PERFORMANCE'),
      },
    ]);
  });

  it('AWS constraints apply to fixture values (Personalize names may not start with a dash)', () => {
    const fixtures = minimal();
    fixtures.regions['us-east-1']!.personalize!.datasetGroups![0]!.name = '-g1';
    expect(issuesOf(() => parseFixtures(fixtures)).map((i) => i.path)).toContain(
      'regions.us-east-1.personalize.datasetGroups[0].name',
    );
  });
});

describe('derived values', () => {
  it('omitted ARNs, accountId, status and trackingId are derived', () => {
    const store = EmulatorStore.fromFixtures(parseFixtures(minimal()));
    const tracker = store.region('us-east-1').eventTrackers[0]!;
    expect(tracker.eventTrackerArn).toBe('arn:aws:personalize:us-east-1:123456789012:event-tracker/t1');
    expect(tracker.accountId).toBe('123456789012');
    expect(tracker.status).toBe('ACTIVE');
    expect(tracker.trackingId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.region('us-east-1').datasetGroups[0]!.datasetGroupArn).toBe(
      'arn:aws:personalize:us-east-1:123456789012:dataset-group/g1',
    );
  });

  it('derived tracking ids are the same on every load', () => {
    const a = EmulatorStore.fromFixtures(parseFixtures(minimal())).region('us-east-1').eventTrackers[0]!.trackingId;
    const b = EmulatorStore.fromFixtures(parseFixtures(minimal())).region('us-east-1').eventTrackers[0]!.trackingId;
    expect(a).toBe(b);
  });

  it('ARNs in China regions use the aws-cn partition', () => {
    const fixtures: Fixtures = {
      accountId: '123456789012',
      regions: {
        'cn-north-1': { personalize: { datasetGroups: [{ name: 'g', creationDateTime: '2024-01-01T00:00:00Z' }] } },
      },
    };
    expect(
      EmulatorStore.fromFixtures(parseFixtures(fixtures)).region('cn-north-1').datasetGroups[0]!.datasetGroupArn,
    ).toBe('arn:aws-cn:personalize:cn-north-1:123456789012:dataset-group/g');
  });

  it('a region the fixtures do not mention is empty, not an error', () => {
    const store = EmulatorStore.fromFixtures(parseFixtures(minimal()));
    expect(store.region('sa-east-1').eventTrackers).toEqual([]);
  });
});

describe('demo fixtures', () => {
  const demo = demoFixtures(new Date(DEMO_NOW));
  const regions = Object.values(demo.accounts).flatMap((a) => Object.values(a.regions));
  const trackers = regions.flatMap((r) => r.personalize?.eventTrackers ?? []);
  const streams = regions.flatMap((r) => r.customerProfiles?.domains.flatMap((d) => d.eventStreams ?? []) ?? []);
  const events = demo.internetMonitor!.internetEvents;

  it('pass validation', () => {
    expect(() => parseFixtures(demoFixtures())).not.toThrow();
  });

  it('are identical on every call', () => {
    expect(demoFixtures(new Date(DEMO_NOW))).toEqual(demoFixtures(new Date(DEMO_NOW)));
  });

  it('cover the documented regions of two accounts, the demo account first', () => {
    expect(Object.keys(demo.accounts)).toEqual([DEMO_ACCOUNT_ID, DEMO_MEMBER_ACCOUNT_ID]);
    expect(Object.keys(demo.accounts[DEMO_ACCOUNT_ID]!.regions)).toEqual([...DEMO_REGIONS]);
    expect(Object.keys(demo.accounts[DEMO_MEMBER_ACCOUNT_ID]!.regions)).toEqual([...DEMO_MEMBER_REGIONS]);
    expect(DEMO_MEMBER_ROLE_ARN).toBe(`arn:aws:iam::${DEMO_MEMBER_ACCOUNT_ID}:role/${DEMO_MEMBER_ROLE_NAME}`);
    expect(demo.accounts[DEMO_MEMBER_ACCOUNT_ID]!.roles).toEqual([DEMO_MEMBER_ROLE_NAME]);
  });

  it('back each destination with a Kinesis stream of its account and region; each account has an unhealthy one', () => {
    for (const [account, { regions: byRegion }] of Object.entries(demo.accounts)) {
      const accountStreams = Object.values(byRegion).flatMap(
        (r) => r.customerProfiles?.domains.flatMap((d) => d.eventStreams ?? []) ?? [],
      );
      expect(accountStreams.some((s) => s.DestinationDetails.Status === 'UNHEALTHY')).toBe(true);
      for (const [region, regional] of Object.entries(byRegion)) {
        const names = new Set(regional.kinesis?.streams.map((k) => k.StreamName));
        for (const domain of regional.customerProfiles?.domains ?? []) {
          for (const s of domain.eventStreams ?? []) {
            const [, uriRegion, uriAccount, name] = /^arn:aws:kinesis:([^:]+):(\d{12}):stream\/(.+)$/.exec(
              s.DestinationDetails.Uri,
            )!;
            expect([uriRegion, uriAccount]).toEqual([region, account]);
            expect(names.has(name!)).toBe(true);
          }
        }
      }
    }
  });

  it('contain a tracker in every documented status', () => {
    expect(new Set(trackers.map((t) => t.status))).toEqual(
      new Set([
        'CREATE PENDING',
        'CREATE IN_PROGRESS',
        'ACTIVE',
        'CREATE FAILED',
        'DELETE PENDING',
        'DELETE IN_PROGRESS',
      ]),
    );
  });

  it('give each dataset group at most one tracker, as AWS allows', () => {
    const groups = trackers.map((t) => t.datasetGroupArn);
    expect(new Set(groups).size).toBe(groups.length);
  });

  it('contain dataset groups of both domains', () => {
    const domains = regions.flatMap((r) => r.personalize?.datasetGroups?.map((g) => g.domain) ?? []);
    expect(new Set(domains)).toEqual(new Set(['ECOMMERCE', 'VIDEO_ON_DEMAND']));
  });

  it('contain streams in every state and destination status, with StoppedSince and UnhealthySince where due', () => {
    expect(new Set(streams.map((s) => `${s.State}/${s.DestinationDetails.Status}`))).toEqual(
      new Set(['RUNNING/HEALTHY', 'RUNNING/UNHEALTHY', 'STOPPED/HEALTHY', 'STOPPED/UNHEALTHY']),
    );
    for (const s of streams) {
      expect(s.State === 'STOPPED').toBe(s.StoppedSince !== undefined);
      expect(s.DestinationDetails.Status === 'UNHEALTHY').toBe(
        s.DestinationDetails.UnhealthySince !== undefined && s.DestinationDetails.Message !== undefined,
      );
      expect(s.DestinationDetails.Uri).toMatch(/^arn:aws:kinesis:[a-z0-9-]+:\d{12}:stream\/.+$/);
    }
  });

  it('contain active events without EndedAt and resolved events with it, of both types', () => {
    for (const e of events) expect(e.EventStatus === 'RESOLVED').toBe(e.EndedAt !== undefined);
    expect(new Set(events.map((e) => `${e.EventStatus}/${e.EventType}`)).size).toBe(4);
  });

  it('contain a 4-byte AS number above 2147483647 and fractional coordinates', () => {
    const large = events.find((e) => e.EventId === DEMO_LARGE_ASN_INTERNET_EVENT_ID)!;
    expect(large.ClientLocation.ASNumber).toBeGreaterThan(2147483647);
    expect(
      events.some((e) => !Number.isInteger(e.ClientLocation.Latitude) && !Number.isInteger(e.ClientLocation.Longitude)),
    ).toBe(true);
  });

  it('are dated relative to the moment they are served: an ACTIVE event started minutes ago, not years', () => {
    const now = new Date('2031-06-01T08:30:00Z');
    const served = demoFixtures(now);
    const starts = served.internetMonitor!.internetEvents.map((e) => Date.parse(e.StartedAt));
    expect(Math.max(...starts)).toBeLessThanOrEqual(now.getTime());
    // The newest event started 38 minutes before now, whatever now is.
    expect(now.getTime() - Math.max(...starts)).toBe(38 * 60_000);
    // Offsets are kept: the data is the same estate, moved in time.
    const reference = demoFixtures(new Date(DEMO_NOW)).internetMonitor!.internetEvents;
    served.internetMonitor!.internetEvents.forEach((e, i) => {
      expect(Date.parse(e.StartedAt) - Date.parse(reference[i]!.StartedAt)).toBe(now.getTime() - Date.parse(DEMO_NOW));
    });
    // By default, relative to the call.
    const defaultStarts = demoFixtures().internetMonitor!.internetEvents.map((e) => Date.parse(e.StartedAt));
    expect(Date.now() - Math.max(...defaultStarts)).toBeLessThan(39 * 60_000);
  });

  it('date everything at or before DEMO_NOW', () => {
    const now = Date.parse(DEMO_NOW);
    for (const e of events) expect(Date.parse(e.StartedAt)).toBeLessThanOrEqual(now);
    for (const t of trackers) expect(Date.parse(t.lastUpdatedDateTime!)).toBeLessThanOrEqual(now);
  });

  it('export constants that name real demo resources', () => {
    const store = EmulatorStore.fromFixtures(parseFixtures(demo));
    const usEast1 = store.region('us-east-1');
    expect(usEast1.eventTrackersByArn.get(DEMO_EVENT_TRACKER_ARN)?.datasetGroupArn).toBe(DEMO_DATASET_GROUP_ARN);
    expect(usEast1.datasetGroupsByArn.has(DEMO_DATASET_GROUP_ARN)).toBe(true);
    expect(
      [...usEast1.domains.values()]
        .flatMap((d) => d.eventStreams)
        .some((s) => s.EventStreamArn === DEMO_EVENT_STREAM_ARN),
    ).toBe(true);
    expect(store.internetEventsById.get(DEMO_INTERNET_EVENT_ID)?.EventStatus).toBe('ACTIVE');
    const member = EmulatorEstate.fromFixtures(parseFixtures(demo))
      .account(DEMO_MEMBER_ACCOUNT_ID)!
      .region('us-east-1');
    const stream = [...member.domains.values()]
      .flatMap((d) => d.eventStreams)
      .find((s) => s.EventStreamArn === DEMO_MEMBER_EVENT_STREAM_ARN)!;
    expect(stream.DestinationDetails).toMatchObject({ Uri: DEMO_MEMBER_KINESIS_STREAM_ARN, Status: 'UNHEALTHY' });
    expect(member.kinesisStreams.some((k) => k.StreamARN === DEMO_MEMBER_KINESIS_STREAM_ARN)).toBe(true);
  });
});

describe('generated fixtures', () => {
  it('give every destination its Kinesis stream in the region, and generate whole estates', () => {
    const single = parseFixtures(generateFixtures({ regions: 2, domainsPerRegion: 3, internetEvents: 1 }));
    for (const regional of Object.values(single.regions)) {
      const names = new Set(regional.kinesis!.streams.map((k) => k.StreamName));
      for (const d of regional.customerProfiles!.domains) {
        for (const s of d.eventStreams!) expect(names.has(s.DestinationDetails.Uri.split(':stream/')[1]!)).toBe(true);
      }
    }
    const estate = parseFixtures(
      generateEstateFixtures(['111111111111', '222222222222'], {
        regions: 3,
        domainsPerRegion: 2,
        datasetGroupsPerRegion: 2,
        internetEvents: 5,
        roles: ['Reader'],
      }),
    );
    expect(Object.keys(estate.accounts)).toEqual(['111111111111', '222222222222']);
    expect(Object.keys(estate.accounts['222222222222']!.regions)).toHaveLength(3);
    expect(estate.accounts['111111111111']!.roles).toBeUndefined();
    expect(estate.accounts['222222222222']!.roles).toEqual(['Reader']);
    expect(estate.internetMonitor!.internetEvents).toHaveLength(5);
    const uri =
      estate.accounts['222222222222']!.regions['us-east-1']!.customerProfiles!.domains[0]!.eventStreams![0]!
        .DestinationDetails.Uri;
    expect(uri).toMatch(/^arn:aws:kinesis:us-east-1:222222222222:stream\//);
  });

  it('are the same for the same options', () => {
    const options = {
      regions: 2,
      domainsPerRegion: 3,
      streamsPerDomain: 4,
      datasetGroupsPerRegion: 5,
      internetEvents: 6,
      seed: 42,
    };
    expect(generateFixtures(options)).toEqual(generateFixtures(options));
  });

  it('differ for another seed', () => {
    expect(generateFixtures({ seed: 1, internetEvents: 10 })).not.toEqual(
      generateFixtures({ seed: 2, internetEvents: 10 }),
    );
  });

  it('have the requested sizes and pass validation', () => {
    const fixtures = parseFixtures(
      generateFixtures({
        regions: ['us-east-1', 'eu-central-1'],
        domainsPerRegion: 3,
        streamsPerDomain: 7,
        datasetGroupsPerRegion: 20,
        internetEvents: 50,
      }),
    );
    expect(Object.keys(fixtures.regions)).toEqual(['us-east-1', 'eu-central-1']);
    expect(fixtures.regions['eu-central-1']!.customerProfiles!.domains).toHaveLength(3);
    expect(fixtures.regions['eu-central-1']!.customerProfiles!.domains[2]!.eventStreams).toHaveLength(7);
    expect(fixtures.regions['us-east-1']!.personalize!.datasetGroups).toHaveLength(20);
    expect(fixtures.internetMonitor!.internetEvents).toHaveLength(50);
  });

  it('reach thousands of resources with the defaults and still validate', () => {
    const fixtures = parseFixtures(generateFixtures());
    const regions = Object.values(fixtures.regions);
    const streams = regions.reduce(
      (n, r) => n + r.customerProfiles!.domains.reduce((m, d) => m + d.eventStreams!.length, 0),
      0,
    );
    const trackers = regions.reduce((n, r) => n + r.personalize!.eventTrackers!.length, 0);
    expect(streams).toBeGreaterThanOrEqual(2000);
    expect(trackers).toBeGreaterThanOrEqual(1000);
    expect(fixtures.internetMonitor!.internetEvents.length).toBeGreaterThanOrEqual(2000);
  });

  it('rejects a region count beyond the known regions', () => {
    expect(() => generateFixtures({ regions: 99 })).toThrow(RangeError);
  });
});
