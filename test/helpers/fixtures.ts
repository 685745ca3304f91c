import type { Fixtures } from '../../src/emulator/index.js';

export const ACCOUNT = '111122223333';

const kinesis = (region: string, name: string) => `arn:aws:kinesis:${region}:${ACCOUNT}:stream/${name}`;

/** `count` healthy running streams named `<prefix>-00`, `<prefix>-01`, ... for pagination tests. */
function bulkStreams(region: string, prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({
    EventStreamName: `${prefix}-${String(i).padStart(2, '0')}`,
    CreatedAt: `2024-02-0${(i % 9) + 1}T08:00:00Z`,
    State: 'RUNNING',
    DestinationDetails: { Uri: kinesis(region, `${prefix}-${i}`), Status: 'HEALTHY' },
  }));
}

/** Small, exact data: every test derives its expectations from these values. */
export function gatewayFixtures(): Fixtures {
  return {
    accountId: ACCOUNT,
    regions: {
      'us-east-1': {
        customerProfiles: {
          domains: [
            {
              DomainName: 'retail',
              eventStreams: [
                {
                  EventStreamName: 'orders',
                  CreatedAt: '2024-03-01T12:00:00Z',
                  State: 'RUNNING',
                  DestinationDetails: {
                    Uri: kinesis('us-east-1', 'orders-kds'),
                    Status: 'HEALTHY',
                    Message: 'Delivering',
                  },
                  Tags: { team: 'checkout', env: 'prod' },
                },
                {
                  EventStreamName: 'clicks',
                  CreatedAt: '2024-01-15T09:30:00.250Z',
                  State: 'STOPPED',
                  StoppedSince: '2024-04-02T00:00:00Z',
                  DestinationDetails: {
                    Uri: 'https://example.com/not-a-kinesis-stream',
                    Status: 'UNHEALTHY',
                    UnhealthySince: '2024-04-01T23:00:00Z',
                    Message: 'Access denied to the destination',
                  },
                },
              ],
            },
            { DomainName: 'bulk', eventStreams: bulkStreams('us-east-1', 'bulk', 7) },
            { DomainName: 'empty', eventStreams: [] },
          ],
        },
        personalize: {
          datasetGroups: [
            {
              name: 'shop',
              status: 'ACTIVE',
              domain: 'ECOMMERCE',
              creationDateTime: '2023-05-01T00:00:00Z',
              lastUpdatedDateTime: '2023-05-02T00:00:00Z',
            },
            {
              name: 'video',
              status: 'CREATE IN_PROGRESS',
              domain: 'VIDEO_ON_DEMAND',
              creationDateTime: '2023-06-01T00:00:00Z',
              lastUpdatedDateTime: '2023-06-01T00:05:00Z',
            },
            {
              name: 'custom',
              status: 'ACTIVE',
              creationDateTime: '2023-07-01T00:00:00Z',
              lastUpdatedDateTime: '2023-07-01T00:00:00Z',
            },
          ],
          eventTrackers: [
            tracker('shop-tracker', 'shop', 'ACTIVE'),
            tracker('shop-old', 'shop', 'DELETE IN_PROGRESS'),
            tracker('video-tracker', 'video', 'CREATE IN_PROGRESS'),
            tracker('custom-pending', 'custom', 'CREATE PENDING'),
            tracker('custom-failed', 'custom', 'CREATE FAILED'),
            tracker('custom-deleting', 'custom', 'DELETE PENDING'),
            tracker('custom-odd', 'custom', 'REFRESHING'),
          ],
        },
      },
      'eu-west-1': {
        customerProfiles: {
          domains: [
            {
              DomainName: 'retail',
              eventStreams: [
                {
                  EventStreamName: 'orders',
                  CreatedAt: '2024-03-05T12:00:00Z',
                  State: 'RUNNING',
                  DestinationDetails: { Uri: kinesis('eu-west-1', 'orders-eu'), Status: 'HEALTHY' },
                },
              ],
            },
          ],
        },
        personalize: {
          datasetGroups: [
            {
              name: 'shop',
              status: 'ACTIVE',
              domain: 'ECOMMERCE',
              creationDateTime: '2023-08-01T00:00:00Z',
              lastUpdatedDateTime: '2023-08-01T00:00:00Z',
            },
          ],
          eventTrackers: [tracker('shop-tracker', 'shop', 'ACTIVE', 'eu-west-1')],
        },
      },
    },
    internetMonitor: {
      internetEvents: [
        {
          EventId: 'evt-active-1',
          StartedAt: '2024-04-18T10:00:00Z',
          EventType: 'AVAILABILITY',
          EventStatus: 'ACTIVE',
          ClientLocation: {
            ASName: 'Big Transit',
            ASNumber: 4294967295,
            Country: 'Germany',
            Subdivision: 'Hesse',
            Metro: 'Frankfurt',
            City: 'Frankfurt am Main',
            Latitude: 50.1109,
            Longitude: 8.6821,
          },
        },
        {
          EventId: 'evt-resolved-1',
          StartedAt: '2024-04-10T06:00:00Z',
          EndedAt: '2024-04-10T07:30:00Z',
          EventType: 'PERFORMANCE',
          EventStatus: 'RESOLVED',
          ClientLocation: {
            ASName: 'Pacific Net',
            ASNumber: 64512,
            Country: 'Japan',
            City: 'Osaka',
            Latitude: 34.6937,
            Longitude: 135.5023,
          },
        },
        ...Array.from({ length: 5 }, (_, i) => ({
          EventId: `evt-bulk-${i}`,
          StartedAt: `2024-03-0${i + 1}T00:00:00Z`,
          EndedAt: `2024-03-0${i + 1}T01:00:00Z`,
          EventType: i % 2 ? 'AVAILABILITY' : 'PERFORMANCE',
          EventStatus: 'RESOLVED',
          ClientLocation: {
            ASName: `AS ${i}`,
            ASNumber: 100 + i,
            Country: 'Brazil',
            City: 'São Paulo',
            Latitude: -23.5505,
            Longitude: -46.6333,
          },
        })),
      ],
    },
  } as Fixtures;
}

function tracker(name: string, group: string, status: string, region = 'us-east-1') {
  return {
    name,
    datasetGroupArn: `arn:aws:personalize:${region}:${ACCOUNT}:dataset-group/${group}`,
    trackingId: `${name}-tracking-id`,
    status,
    creationDateTime: '2024-01-01T00:00:00Z',
    lastUpdatedDateTime: '2024-01-02T03:04:05Z',
  };
}

export const arns = {
  stream: (region: string, domain: string, name: string) =>
    `arn:aws:profile:${region}:${ACCOUNT}:domains/${domain}/event-streams/${name}`,
  tracker: (name: string, region = 'us-east-1') => `arn:aws:personalize:${region}:${ACCOUNT}:event-tracker/${name}`,
  group: (name: string, region = 'us-east-1') => `arn:aws:personalize:${region}:${ACCOUNT}:dataset-group/${name}`,
  event: (id: string) => `arn:aws:internetmonitor::${ACCOUNT}:internet-event/${id}`,
};

/** A Kinesis data stream ARN of the fixtures' account: a destination CreateEventStream accepts in `region`. */
export const kinesisStream = kinesis;

/**
 * `gatewayFixtures()` plus what writes need: an ACTIVE dataset group without a tracker (`fresh`, us-east-1), since
 * AWS allows one tracker per group.
 */
export function writableFixtures(): Fixtures {
  const fixtures = gatewayFixtures();
  const personalize = fixtures.regions['us-east-1']?.personalize;
  personalize?.datasetGroups?.push({
    name: 'fresh',
    status: 'ACTIVE',
    creationDateTime: '2024-02-01T00:00:00Z',
    lastUpdatedDateTime: '2024-02-01T00:00:00Z',
  });
  return fixtures;
}
