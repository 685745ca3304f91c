import type {
  DomainFixture,
  EstateFixtures,
  InternetEventFixture,
  KinesisStreamFixture,
  RegionFixtures,
} from './fixtures.js';

/*
 * Built-in demo data: a small, realistic-looking estate that shows every state the graph can
 * render. Dates are written as fixed offsets before DEMO_NOW and moved, when the data is served,
 * so that DEMO_NOW becomes the moment the emulator starts: an ACTIVE event started 38 minutes ago
 * whenever the demo runs, not two years ago. `demoFixtures(new Date(DEMO_NOW))` is the same data on
 * every run (tests, screenshots). Two accounts: 123456789012 (the long-term credentials' own) and a member account,
 * 234567890123, reached with AssumeRole of DEMO_MEMBER_ROLE_ARN. Every Kinesis destination has its data stream in the
 * account and region of its domain (ctr-archive is DELETING, as its event stream's message says).
 *
 * Account 123456789012:
 * us-east-1
 *   domains: retail-customers (orders-to-kinesis, profile-changes, loyalty-points, cart-abandonment)
 *            support-center (case-updates, contact-trace-records)
 *   dataset groups -> tracker: storefront-recommendations -> storefront-clickstream (ACTIVE)
 *                              checkout-upsell -> checkout-events (CREATE IN_PROGRESS)
 *                              streaming-catalog [VIDEO_ON_DEMAND] -> watch-history (DELETE PENDING)
 * us-west-2
 *   domains: mobile-app-users (app-sessions, push-preferences), partner-portal (partner-accounts)
 *   dataset groups -> tracker: mobile-feed [VIDEO_ON_DEMAND] -> mobile-feed-events (CREATE PENDING)
 *                              holiday-campaign -> holiday-campaign-events (CREATE FAILED)
 *                              spring-sale (CREATE FAILED, with its failureReason, KMS key and role; no tracker)
 * eu-west-1
 *   domains: eu-shoppers (gdpr-consent-changes, basket-events), eu-loyalty (no streams)
 *   dataset groups -> tracker: eu-fashion-recs -> eu-fashion-clicks (ACTIVE)
 *                              eu-video-recs [VIDEO_ON_DEMAND] -> eu-video-plays (DELETE IN_PROGRESS)
 * ap-southeast-2
 *   domains: anz-contact-centre (callback-requests, survey-responses)
 *   dataset groups -> tracker: anz-grocery-recs -> anz-grocery-events (ACTIVE)
 *                              anz-archive (DELETE PENDING, no tracker)
 *
 * Account 234567890123 (member):
 * us-east-1
 *   domains: wholesale-partners (partner-orders, partner-returns [UNHEALTHY], partner-invoices [STOPPED])
 *   dataset groups -> tracker: wholesale-recommendations -> wholesale-clickstream (ACTIVE)
 *                              b2b-bundles [CREATE FAILED] (no tracker)
 * eu-west-1
 *   domains: eu-wholesale (eu-partner-orders [UNHEALTHY], eu-partner-sync)
 *   dataset groups -> tracker: eu-wholesale-recs -> eu-wholesale-clicks (ACTIVE)
 *
 * Internet events are global (served in every region): ten around the world, ACTIVE and
 * RESOLVED, AVAILABILITY and PERFORMANCE, one with a private-use 4-byte ASN (4200000001).
 */

export const DEMO_ACCOUNT_ID = '123456789012';
/** The instant the demo data is written against: every demo timestamp is an offset before it. */
export const DEMO_NOW = '2024-11-15T12:00:00Z';
export const DEMO_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-southeast-2'] as const;
/** The demo's member account, reached with AssumeRole of DEMO_MEMBER_ROLE_ARN (its only role). */
export const DEMO_MEMBER_ACCOUNT_ID = '234567890123';
export const DEMO_MEMBER_ROLE_NAME = 'EventsGatewayReader';
export const DEMO_MEMBER_ROLE_ARN = `arn:aws:iam::${DEMO_MEMBER_ACCOUNT_ID}:role/${DEMO_MEMBER_ROLE_NAME}`;
export const DEMO_MEMBER_REGIONS = ['us-east-1', 'eu-west-1'] as const;
/** An UNHEALTHY stream of the member account (us-east-1) and its Kinesis data stream. */
export const DEMO_MEMBER_EVENT_STREAM_ARN = `arn:aws:profile:us-east-1:${DEMO_MEMBER_ACCOUNT_ID}:domains/wholesale-partners/event-streams/partner-returns`;
export const DEMO_MEMBER_KINESIS_STREAM_ARN = `arn:aws:kinesis:us-east-1:${DEMO_MEMBER_ACCOUNT_ID}:stream/wholesale-returns`;

/** A domain and a healthy running stream in us-east-1. */
export const DEMO_DOMAIN_NAME = 'retail-customers';
export const DEMO_EVENT_STREAM_NAME = 'orders-to-kinesis';
export const DEMO_EVENT_STREAM_ARN = `arn:aws:profile:us-east-1:${DEMO_ACCOUNT_ID}:domains/retail-customers/event-streams/orders-to-kinesis`;
/** An ECOMMERCE dataset group in us-east-1 and its ACTIVE tracker. */
export const DEMO_DATASET_GROUP_ARN = `arn:aws:personalize:us-east-1:${DEMO_ACCOUNT_ID}:dataset-group/storefront-recommendations`;
export const DEMO_EVENT_TRACKER_ARN = `arn:aws:personalize:us-east-1:${DEMO_ACCOUNT_ID}:event-tracker/storefront-clickstream`;
/** An ACTIVE PERFORMANCE event (COMCAST-7922, Ashburn). */
export const DEMO_INTERNET_EVENT_ID = '7c3e9a12-4b8f-4d21-9f6a-1e2d3c4b5a60';
/** A RESOLVED AVAILABILITY event (DTAG, Frankfurt am Main). */
export const DEMO_RESOLVED_INTERNET_EVENT_ID = '0b9d4e7a-2c15-4f38-8a6e-5d7c9b1f2e34';
/** The event whose client location has a 4-byte private-use AS number above 2^31 - 1. */
export const DEMO_LARGE_ASN_INTERNET_EVENT_ID = 'e5a1c3d7-9b2f-4e60-b8d4-3f6a2c1e9d07';

const NOW_MS = Date.parse(DEMO_NOW);

/** An ISO timestamp `days`, `hours`, `minutes` and `seconds` before DEMO_NOW. */
function ago(days: number, hours = 0, minutes = 0, seconds = 0): string {
  const ms = NOW_MS - (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function kinesis(region: string, stream: string, account = DEMO_ACCOUNT_ID): string {
  return `arn:aws:kinesis:${region}:${account}:stream/${stream}`;
}

function datasetGroupArn(region: string, name: string, account = DEMO_ACCOUNT_ID): string {
  return `arn:aws:personalize:${region}:${account}:dataset-group/${name}`;
}

/** What differs between the demo's Kinesis streams; the rest is the common on-demand, KMS-encrypted stream. */
type KinesisVariant = Partial<Omit<KinesisStreamFixture, 'StreamName'>>;

const PROVISIONED: KinesisVariant = {
  StreamModeDetails: { StreamMode: 'PROVISIONED' },
  OpenShardCount: 2,
  EncryptionType: 'NONE',
  RetentionPeriodHours: 168,
  EnhancedMonitoring: [{ ShardLevelMetrics: ['IncomingBytes', 'OutgoingBytes', 'IteratorAgeMilliseconds'] }],
};

/**
 * The Kinesis data stream behind each destination of `domains` (same account and region), created a day before the
 * oldest event stream. `variants` sets a stream's mode, status and so on by name.
 */
function kinesisStreamsOf(domains: readonly DomainFixture[], variants: Record<string, KinesisVariant> = {}) {
  const streams = domains.flatMap((d) => d.eventStreams ?? []);
  const created = streams.map((s) => Date.parse(s.CreatedAt)).reduce((a, b) => Math.min(a, b), NOW_MS);
  const nameOf = (uri: string) => uri.slice(uri.indexOf(':stream/') + ':stream/'.length);
  return streams.map(
    (s): KinesisStreamFixture => ({
      StreamName: nameOf(s.DestinationDetails.Uri),
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      RetentionPeriodHours: 24,
      StreamCreationTimestamp: new Date(created - 86_400_000).toISOString().replace('.000Z', 'Z'),
      EncryptionType: 'KMS',
      KeyId: 'alias/aws/kinesis',
      OpenShardCount: 4,
      ConsumerCount: 1,
      ...variants[nameOf(s.DestinationDetails.Uri)],
    }),
  );
}

const usEast1Domains: DomainFixture[] = [
  {
    DomainName: 'retail-customers',
    eventStreams: [
      {
        EventStreamName: 'orders-to-kinesis',
        CreatedAt: ago(247, 5, 37, 55),
        State: 'RUNNING',
        DestinationDetails: { Uri: kinesis('us-east-1', 'retail-orders'), Status: 'HEALTHY' },
        Tags: { Environment: 'production', Team: 'commerce-data' },
      },
      {
        EventStreamName: 'profile-changes',
        CreatedAt: ago(180, 2, 11, 9),
        State: 'RUNNING',
        DestinationDetails: {
          Uri: kinesis('us-east-1', 'customer-profile-changes'),
          Status: 'UNHEALTHY',
          UnhealthySince: ago(2, 3, 42, 17),
          Message:
            'Kinesis stream customer-profile-changes is not accessible: the service role is missing kinesis:PutRecords permission.',
        },
        Tags: { Environment: 'production', Team: 'crm-platform' },
      },
      {
        EventStreamName: 'loyalty-points',
        CreatedAt: ago(301, 7, 3, 44),
        State: 'STOPPED',
        StoppedSince: ago(40, 16, 20, 0),
        DestinationDetails: { Uri: kinesis('us-east-1', 'loyalty-points-ledger'), Status: 'HEALTHY' },
        Tags: { Environment: 'production', Team: 'loyalty' },
      },
      {
        EventStreamName: 'cart-abandonment',
        CreatedAt: ago(63, 1, 58, 30),
        State: 'RUNNING',
        DestinationDetails: { Uri: kinesis('us-east-1', 'cart-abandonment-signals'), Status: 'HEALTHY' },
      },
    ],
  },
  {
    DomainName: 'support-center',
    eventStreams: [
      {
        EventStreamName: 'case-updates',
        CreatedAt: ago(150, 9, 30, 12),
        State: 'RUNNING',
        DestinationDetails: { Uri: kinesis('us-east-1', 'support-case-updates'), Status: 'HEALTHY' },
        Tags: { Environment: 'production', Team: 'customer-care' },
      },
      {
        EventStreamName: 'contact-trace-records',
        CreatedAt: ago(210, 4, 5, 51),
        State: 'STOPPED',
        StoppedSince: ago(12, 0, 48, 3),
        DestinationDetails: {
          Uri: kinesis('us-east-1', 'ctr-archive'),
          Status: 'UNHEALTHY',
          UnhealthySince: ago(12, 1, 2, 40),
          Message:
            'Destination stream ctr-archive was deleted (ResourceNotFoundException); the event stream was stopped.',
        },
        Tags: { Environment: 'staging' },
      },
    ],
  },
];

const usWest2Domains: DomainFixture[] = [
  {
    DomainName: 'mobile-app-users',
    eventStreams: [
      {
        EventStreamName: 'app-sessions',
        CreatedAt: ago(95, 22, 14, 6),
        State: 'RUNNING',
        DestinationDetails: { Uri: kinesis('us-west-2', 'mobile-app-sessions'), Status: 'HEALTHY' },
        Tags: { Environment: 'production', Team: 'mobile' },
      },
      {
        EventStreamName: 'push-preferences',
        CreatedAt: ago(31, 6, 27, 19),
        State: 'RUNNING',
        DestinationDetails: { Uri: kinesis('us-west-2', 'push-notification-prefs'), Status: 'HEALTHY' },
        Tags: { Environment: 'production', Team: 'mobile', CostCenter: 'cc-2048' },
      },
    ],
  },
  {
    DomainName: 'partner-portal',
    eventStreams: [
      {
        EventStreamName: 'partner-accounts',
        CreatedAt: ago(402, 3, 0, 41),
        State: 'STOPPED',
        StoppedSince: ago(88, 10, 15, 0),
        DestinationDetails: { Uri: kinesis('us-west-2', 'partner-account-changes'), Status: 'HEALTHY' },
      },
    ],
  },
];

const euWest1Domains: DomainFixture[] = [
  {
    DomainName: 'eu-shoppers',
    eventStreams: [
      {
        EventStreamName: 'gdpr-consent-changes',
        CreatedAt: ago(133, 8, 44, 2),
        State: 'RUNNING',
        DestinationDetails: { Uri: kinesis('eu-west-1', 'consent-ledger'), Status: 'HEALTHY' },
        Tags: { Environment: 'production', DataClassification: 'personal' },
      },
      {
        EventStreamName: 'basket-events',
        CreatedAt: ago(54, 13, 9, 37),
        State: 'RUNNING',
        DestinationDetails: {
          Uri: kinesis('eu-west-1', 'eu-basket-events'),
          Status: 'UNHEALTHY',
          UnhealthySince: ago(0, 4, 12, 55),
          Message: 'Provisioned throughput exceeded on stream eu-basket-events; records are being retried.',
        },
        Tags: { Environment: 'production', Team: 'eu-commerce' },
      },
    ],
  },
  // A domain without event streams: ListEventStreams returns an empty page.
  { DomainName: 'eu-loyalty', CreatedAt: ago(412, 6, 0, 0), eventStreams: [] },
];

const apSoutheast2Domains: DomainFixture[] = [
  {
    DomainName: 'anz-contact-centre',
    eventStreams: [
      {
        EventStreamName: 'callback-requests',
        CreatedAt: ago(77, 0, 30, 0),
        State: 'RUNNING',
        DestinationDetails: { Uri: kinesis('ap-southeast-2', 'callback-queue'), Status: 'HEALTHY' },
        Tags: { Environment: 'production', Team: 'anz-care' },
      },
      {
        EventStreamName: 'survey-responses',
        CreatedAt: ago(190, 11, 51, 8),
        State: 'STOPPED',
        StoppedSince: ago(5, 2, 0, 0),
        DestinationDetails: {
          Uri: kinesis('ap-southeast-2', 'csat-survey-responses'),
          Status: 'UNHEALTHY',
          UnhealthySince: ago(5, 2, 6, 31),
          Message: 'KMS key for stream csat-survey-responses is disabled (KMSDisabledException).',
        },
      },
    ],
  },
];

const usEast1: RegionFixtures = {
  customerProfiles: { domains: usEast1Domains },
  kinesis: {
    streams: kinesisStreamsOf(usEast1Domains, {
      'loyalty-points-ledger': PROVISIONED,
      'ctr-archive': { StreamStatus: 'DELETING', ConsumerCount: 0 },
    }),
  },
  personalize: {
    datasetGroups: [
      {
        name: 'storefront-recommendations',
        status: 'ACTIVE',
        roleArn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:role/PersonalizeS3Access`,
        creationDateTime: ago(320, 2, 15, 0),
        lastUpdatedDateTime: ago(318, 23, 40, 12),
        domain: 'ECOMMERCE',
      },
      {
        name: 'checkout-upsell',
        status: 'ACTIVE',
        creationDateTime: ago(14, 5, 2, 33),
        lastUpdatedDateTime: ago(14, 4, 51, 7),
        domain: 'ECOMMERCE',
      },
      {
        name: 'streaming-catalog',
        status: 'ACTIVE',
        creationDateTime: ago(275, 18, 0, 45),
        lastUpdatedDateTime: ago(3, 9, 12, 0),
        domain: 'VIDEO_ON_DEMAND',
      },
    ],
    eventTrackers: [
      {
        name: 'storefront-clickstream',
        trackingId: '3f9b6c2e-81d4-4a7f-b0e5-6c1d2a9f8e47',
        datasetGroupArn: datasetGroupArn('us-east-1', 'storefront-recommendations'),
        status: 'ACTIVE',
        creationDateTime: ago(318, 22, 5, 19),
        lastUpdatedDateTime: ago(318, 21, 58, 2),
      },
      {
        name: 'checkout-events',
        trackingId: 'a0d7e4b1-5c36-4e92-8f1a-2b7c9d3e6f58',
        datasetGroupArn: datasetGroupArn('us-east-1', 'checkout-upsell'),
        status: 'CREATE IN_PROGRESS',
        creationDateTime: ago(0, 0, 6, 41),
        lastUpdatedDateTime: ago(0, 0, 5, 3),
      },
      {
        name: 'watch-history',
        trackingId: 'c81f2a6d-0e4b-4d75-93c8-7a5e1b2f4d96',
        datasetGroupArn: datasetGroupArn('us-east-1', 'streaming-catalog'),
        status: 'DELETE PENDING',
        creationDateTime: ago(270, 3, 33, 0),
        lastUpdatedDateTime: ago(0, 1, 2, 27),
      },
    ],
  },
};

const usWest2: RegionFixtures = {
  customerProfiles: { domains: usWest2Domains },
  kinesis: {
    streams: kinesisStreamsOf(usWest2Domains, {
      'push-notification-prefs': { ...PROVISIONED, StreamStatus: 'UPDATING', OpenShardCount: 3 },
    }),
  },
  personalize: {
    datasetGroups: [
      {
        name: 'mobile-feed',
        status: 'ACTIVE',
        creationDateTime: ago(21, 16, 45, 10),
        lastUpdatedDateTime: ago(21, 16, 30, 2),
        domain: 'VIDEO_ON_DEMAND',
      },
      {
        name: 'holiday-campaign',
        status: 'ACTIVE',
        creationDateTime: ago(9, 8, 0, 0),
        lastUpdatedDateTime: ago(9, 7, 48, 26),
        domain: 'ECOMMERCE',
      },
      {
        // Encrypted with a key its role may not use: creation failed, and failureReason is the only explanation.
        name: 'spring-sale',
        status: 'CREATE FAILED',
        roleArn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:role/PersonalizeKmsAccess`,
        kmsKeyArn: `arn:aws:kms:us-west-2:${DEMO_ACCOUNT_ID}:key/8c2e4a6f-1b3d-4f57-9a0c-e2d4f6a8b1c3`,
        creationDateTime: ago(2, 9, 15, 0),
        lastUpdatedDateTime: ago(2, 9, 11, 42),
        failureReason:
          `The role arn:aws:iam::${DEMO_ACCOUNT_ID}:role/PersonalizeKmsAccess is not allowed kms:Decrypt ` +
          "on the dataset group's KMS key.",
        domain: 'ECOMMERCE',
      },
    ],
    eventTrackers: [
      {
        name: 'mobile-feed-events',
        trackingId: '5e2c8b7a-d913-4f60-a4b2-0f8e1c6d3a75',
        datasetGroupArn: datasetGroupArn('us-west-2', 'mobile-feed'),
        status: 'CREATE PENDING',
        creationDateTime: ago(0, 0, 1, 12),
        lastUpdatedDateTime: ago(0, 0, 1, 12),
      },
      {
        name: 'holiday-campaign-events',
        trackingId: '9d4a1f6c-2b8e-4c07-b5d3-e6f1a2c8b049',
        datasetGroupArn: datasetGroupArn('us-west-2', 'holiday-campaign'),
        status: 'CREATE FAILED',
        creationDateTime: ago(9, 7, 40, 0),
        lastUpdatedDateTime: ago(9, 7, 22, 15),
      },
    ],
  },
};

const euWest1: RegionFixtures = {
  customerProfiles: { domains: euWest1Domains },
  kinesis: { streams: kinesisStreamsOf(euWest1Domains, { 'eu-basket-events': { ...PROVISIONED, ConsumerCount: 2 } }) },
  personalize: {
    datasetGroups: [
      {
        name: 'eu-fashion-recs',
        status: 'ACTIVE',
        roleArn: `arn:aws:iam::${DEMO_ACCOUNT_ID}:role/service-role/PersonalizeEuDataAccess`,
        kmsKeyArn: `arn:aws:kms:eu-west-1:${DEMO_ACCOUNT_ID}:key/1f0c9a52-7d3e-4b8a-9c61-2e5d8f4a7b10`,
        creationDateTime: ago(201, 10, 10, 10),
        lastUpdatedDateTime: ago(200, 9, 55, 41),
        domain: 'ECOMMERCE',
      },
      {
        name: 'eu-video-recs',
        status: 'ACTIVE',
        creationDateTime: ago(160, 14, 21, 0),
        lastUpdatedDateTime: ago(1, 6, 0, 18),
        domain: 'VIDEO_ON_DEMAND',
      },
    ],
    eventTrackers: [
      {
        name: 'eu-fashion-clicks',
        trackingId: '2a6f9c1e-7b3d-4e85-a0c4-d8b2f5e1a963',
        datasetGroupArn: datasetGroupArn('eu-west-1', 'eu-fashion-recs'),
        status: 'ACTIVE',
        creationDateTime: ago(199, 12, 2, 48),
        lastUpdatedDateTime: ago(199, 11, 57, 30),
      },
      {
        name: 'eu-video-plays',
        trackingId: 'f4b8d2a6-1c9e-4f37-8e5a-b3c7d1e9f026',
        datasetGroupArn: datasetGroupArn('eu-west-1', 'eu-video-recs'),
        status: 'DELETE IN_PROGRESS',
        creationDateTime: ago(158, 20, 14, 5),
        lastUpdatedDateTime: ago(0, 0, 19, 44),
      },
    ],
  },
};

const apSoutheast2: RegionFixtures = {
  customerProfiles: { domains: apSoutheast2Domains },
  kinesis: {
    streams: kinesisStreamsOf(apSoutheast2Domains, {
      'csat-survey-responses': { RetentionPeriodHours: 72, ConsumerCount: 0 },
    }),
  },
  personalize: {
    datasetGroups: [
      {
        name: 'anz-grocery-recs',
        status: 'ACTIVE',
        creationDateTime: ago(112, 23, 5, 0),
        lastUpdatedDateTime: ago(112, 22, 49, 13),
        domain: 'ECOMMERCE',
      },
      {
        name: 'anz-archive',
        status: 'DELETE PENDING',
        creationDateTime: ago(530, 4, 0, 0),
        lastUpdatedDateTime: ago(0, 2, 30, 0),
        domain: 'ECOMMERCE',
      },
    ],
    eventTrackers: [
      {
        name: 'anz-grocery-events',
        trackingId: '6b1e3d9f-4a2c-4b78-9d05-c2e8f7a1b364',
        datasetGroupArn: datasetGroupArn('ap-southeast-2', 'anz-grocery-recs'),
        status: 'ACTIVE',
        creationDateTime: ago(111, 2, 36, 9),
        lastUpdatedDateTime: ago(111, 2, 31, 55),
      },
    ],
  },
};

// The member account (DEMO_MEMBER_ACCOUNT_ID): a wholesale business unit in two regions.
const member = (region: string, stream: string) => kinesis(region, stream, DEMO_MEMBER_ACCOUNT_ID);

const memberUsEast1Domains: DomainFixture[] = [
  {
    DomainName: 'wholesale-partners',
    CreatedAt: ago(390, 3, 0, 0),
    LastUpdatedAt: ago(20, 5, 12, 0),
    Tags: { CostCenter: 'wholesale' },
    eventStreams: [
      {
        EventStreamName: 'partner-orders',
        CreatedAt: ago(320, 10, 4, 8),
        State: 'RUNNING',
        DestinationDetails: { Uri: member('us-east-1', 'wholesale-orders'), Status: 'HEALTHY' },
        Tags: { Environment: 'production', Team: 'wholesale' },
      },
      {
        EventStreamName: 'partner-returns',
        CreatedAt: ago(201, 6, 40, 31),
        State: 'RUNNING',
        DestinationDetails: {
          Uri: member('us-east-1', 'wholesale-returns'),
          Status: 'UNHEALTHY',
          UnhealthySince: ago(0, 9, 15, 2),
          Message: 'Rate exceeded for stream wholesale-returns under account 234567890123; records are being retried.',
        },
        Tags: { Environment: 'production', Team: 'wholesale' },
      },
      {
        EventStreamName: 'partner-invoices',
        CreatedAt: ago(150, 1, 2, 3),
        State: 'STOPPED',
        StoppedSince: ago(9, 4, 0, 0),
        DestinationDetails: { Uri: member('us-east-1', 'wholesale-invoices'), Status: 'HEALTHY' },
      },
    ],
  },
];

const memberEuWest1Domains: DomainFixture[] = [
  {
    DomainName: 'eu-wholesale',
    eventStreams: [
      {
        EventStreamName: 'eu-partner-orders',
        CreatedAt: ago(97, 14, 3, 9),
        State: 'RUNNING',
        DestinationDetails: {
          Uri: member('eu-west-1', 'eu-wholesale-orders'),
          Status: 'UNHEALTHY',
          UnhealthySince: ago(1, 2, 30, 0),
          Message:
            'Kinesis stream eu-wholesale-orders is not accessible: the KMS key is disabled (KMSDisabledException).',
        },
        Tags: { Environment: 'production', DataClassification: 'personal' },
      },
      {
        EventStreamName: 'eu-partner-sync',
        CreatedAt: ago(88, 0, 0, 0),
        State: 'RUNNING',
        DestinationDetails: { Uri: member('eu-west-1', 'eu-partner-sync'), Status: 'HEALTHY' },
      },
    ],
  },
];

const memberUsEast1: RegionFixtures = {
  customerProfiles: { domains: memberUsEast1Domains },
  kinesis: {
    streams: kinesisStreamsOf(memberUsEast1Domains, {
      'wholesale-returns': { ...PROVISIONED, OpenShardCount: 1, ConsumerCount: 3 },
    }),
  },
  personalize: {
    datasetGroups: [
      {
        name: 'wholesale-recommendations',
        status: 'ACTIVE',
        creationDateTime: ago(300, 2, 0, 0),
        lastUpdatedDateTime: ago(299, 23, 40, 0),
        domain: 'ECOMMERCE',
      },
      {
        name: 'b2b-bundles',
        status: 'CREATE FAILED',
        creationDateTime: ago(3, 1, 0, 0),
        lastUpdatedDateTime: ago(3, 0, 55, 0),
        failureReason:
          'The role arn:aws:iam::234567890123:role/PersonalizeRole cannot be assumed by Amazon Personalize.',
        domain: 'ECOMMERCE',
      },
    ],
    eventTrackers: [
      {
        name: 'wholesale-clickstream',
        datasetGroupArn: datasetGroupArn('us-east-1', 'wholesale-recommendations', DEMO_MEMBER_ACCOUNT_ID),
        status: 'ACTIVE',
        creationDateTime: ago(299, 20, 0, 0),
        lastUpdatedDateTime: ago(299, 19, 58, 0),
      },
    ],
  },
};

const memberEuWest1: RegionFixtures = {
  customerProfiles: { domains: memberEuWest1Domains },
  kinesis: {
    streams: kinesisStreamsOf(memberEuWest1Domains, {
      'eu-wholesale-orders': { KeyId: 'arn:aws:kms:eu-west-1:234567890123:key/5d1c9f3e-7a2b-4c8d-9e0f-1a2b3c4d5e6f' },
    }),
  },
  personalize: {
    datasetGroups: [
      {
        name: 'eu-wholesale-recs',
        status: 'ACTIVE',
        creationDateTime: ago(80, 9, 0, 0),
        lastUpdatedDateTime: ago(80, 8, 50, 0),
        domain: 'ECOMMERCE',
      },
    ],
    eventTrackers: [
      {
        name: 'eu-wholesale-clicks',
        datasetGroupArn: datasetGroupArn('eu-west-1', 'eu-wholesale-recs', DEMO_MEMBER_ACCOUNT_ID),
        status: 'ACTIVE',
        creationDateTime: ago(80, 7, 0, 0),
        lastUpdatedDateTime: ago(80, 6, 58, 0),
      },
    ],
  },
};

const internetEvents: InternetEventFixture[] = [
  {
    EventId: DEMO_INTERNET_EVENT_ID,
    StartedAt: ago(0, 1, 47, 0),
    ClientLocation: {
      ASName: 'COMCAST-7922',
      ASNumber: 7922,
      Country: 'United States',
      Subdivision: 'Virginia',
      Metro: 'Washington DC',
      City: 'Ashburn',
      Latitude: 39.0438,
      Longitude: -77.4874,
    },
    EventType: 'PERFORMANCE',
    EventStatus: 'ACTIVE',
  },
  {
    EventId: DEMO_RESOLVED_INTERNET_EVENT_ID,
    StartedAt: ago(1, 6, 12, 0),
    EndedAt: ago(1, 4, 58, 0),
    ClientLocation: {
      ASName: 'DTAG Internet service provider operations',
      ASNumber: 3320,
      Country: 'Germany',
      Subdivision: 'Hesse',
      City: 'Frankfurt am Main',
      Latitude: 50.1109,
      Longitude: 8.6821,
    },
    EventType: 'AVAILABILITY',
    EventStatus: 'RESOLVED',
  },
  {
    EventId: '4f2a8c6e-1d3b-4a97-b5e0-7c9d2f1a8b36',
    StartedAt: ago(2, 19, 5, 0),
    EndedAt: ago(2, 17, 40, 0),
    ClientLocation: {
      ASName: 'TELSTRA-AS-AP Telstra Limited',
      ASNumber: 1221,
      Country: 'Australia',
      Subdivision: 'New South Wales',
      Metro: 'Sydney',
      City: 'Sydney',
      Latitude: -33.8688,
      Longitude: 151.2093,
    },
    EventType: 'PERFORMANCE',
    EventStatus: 'RESOLVED',
  },
  {
    EventId: '9a7e5c3b-2f1d-4e8a-96b4-0d2c8e6f4a19',
    StartedAt: ago(0, 0, 38, 0),
    ClientLocation: {
      ASName: 'RELIANCEJIO-IN Reliance Jio Infocomm Limited',
      ASNumber: 55836,
      Country: 'India',
      Subdivision: 'Maharashtra',
      Metro: 'Mumbai',
      City: 'Mumbai',
      Latitude: 19.076,
      Longitude: 72.8777,
    },
    EventType: 'AVAILABILITY',
    EventStatus: 'ACTIVE',
  },
  {
    EventId: '1c5e9b3f-7a2d-4c60-8e1b-f4a6d2c9e805',
    StartedAt: ago(4, 3, 20, 0),
    EndedAt: ago(4, 1, 5, 0),
    ClientLocation: {
      ASName: 'KDDI KDDI CORPORATION',
      ASNumber: 2516,
      Country: 'Japan',
      Subdivision: 'Tokyo',
      City: 'Tokyo',
      Latitude: 35.6762,
      Longitude: 139.6503,
    },
    EventType: 'PERFORMANCE',
    EventStatus: 'RESOLVED',
  },
  {
    EventId: DEMO_LARGE_ASN_INTERNET_EVENT_ID,
    StartedAt: ago(0, 5, 3, 0),
    ClientLocation: {
      // 4200000000-4294967294 is the private-use 4-byte range (RFC 6996): it does not fit an Int32.
      ASName: 'Private-use ASN (Sao Paulo community network)',
      ASNumber: 4200000001,
      Country: 'Brazil',
      Subdivision: 'São Paulo',
      Metro: 'São Paulo',
      City: 'São Paulo',
      Latitude: -23.5505,
      Longitude: -46.6333,
    },
    EventType: 'PERFORMANCE',
    EventStatus: 'ACTIVE',
  },
  {
    EventId: '3d8b1f5a-6e2c-4d94-a7f0-b9c3e1d5a672',
    StartedAt: ago(6, 22, 41, 0),
    EndedAt: ago(6, 21, 9, 0),
    ClientLocation: {
      ASName: 'VODAFONE-UK-ASN',
      ASNumber: 5378,
      Country: 'United Kingdom',
      Subdivision: 'England',
      Metro: 'London',
      City: 'London',
      Latitude: 51.5072,
      Longitude: -0.1276,
    },
    EventType: 'AVAILABILITY',
    EventStatus: 'RESOLVED',
  },
  {
    EventId: '8e4c2a6f-0b7d-4f13-9c5e-a1d7b3f8c240',
    StartedAt: ago(9, 14, 0, 0),
    EndedAt: ago(9, 11, 25, 0),
    ClientLocation: {
      ASName: 'CHARTER-20115',
      ASNumber: 20115,
      Country: 'United States',
      Subdivision: 'California',
      Metro: 'Los Angeles',
      City: 'Los Angeles',
      Latitude: 34.0522,
      Longitude: -118.2437,
    },
    EventType: 'PERFORMANCE',
    EventStatus: 'RESOLVED',
  },
  {
    EventId: '6f0a4d8c-3e5b-4a21-b7c9-d2e6f0a4c813',
    StartedAt: ago(0, 3, 16, 0),
    ClientLocation: {
      ASName: 'Safaricom-Limited',
      ASNumber: 33771,
      Country: 'Kenya',
      Subdivision: 'Nairobi County',
      City: 'Nairobi',
      Latitude: -1.2921,
      Longitude: 36.8219,
    },
    EventType: 'AVAILABILITY',
    EventStatus: 'ACTIVE',
  },
  {
    EventId: 'b2d6f0a4-8c1e-4b59-a3d7-e5f9b1c3d786',
    StartedAt: ago(13, 7, 52, 0),
    EndedAt: ago(13, 6, 30, 0),
    ClientLocation: {
      ASName: 'FR-ORANGE',
      ASNumber: 3215,
      Country: 'France',
      Subdivision: 'Île-de-France',
      Metro: 'Paris',
      City: 'Paris',
      Latitude: 48.8566,
      Longitude: 2.3522,
    },
    EventType: 'PERFORMANCE',
    EventStatus: 'RESOLVED',
  },
];

/** Every timestamp member of the fixtures (AWS's member names). */
const TIMESTAMP_MEMBERS = new Set([
  'CreatedAt',
  'LastUpdatedAt',
  'StreamCreationTimestamp',
  'StoppedSince',
  'UnhealthySince',
  'creationDateTime',
  'lastUpdatedDateTime',
  'StartedAt',
  'EndedAt',
]);

/** Moves every timestamp of `value` by `offsetMs`, in place. */
function shiftTimestamps(value: unknown, offsetMs: number): void {
  if (Array.isArray(value)) {
    for (const item of value) shiftTimestamps(item, offsetMs);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  for (const [key, member] of Object.entries(record)) {
    if (TIMESTAMP_MEMBERS.has(key) && typeof member === 'string')
      record[key] = new Date(Date.parse(member) + offsetMs).toISOString().replace('.000Z', 'Z');
    else shiftTimestamps(member, offsetMs);
  }
}

/**
 * The built-in demo fixtures, dated relative to `now` (by default the moment of the call: the emulator's start), as
 * a fresh copy on each call, so callers may modify it.
 */
export function demoFixtures(now: Date = new Date()): EstateFixtures {
  const fixtures: EstateFixtures = structuredClone({
    accounts: {
      [DEMO_ACCOUNT_ID]: {
        regions: {
          'us-east-1': usEast1,
          'us-west-2': usWest2,
          'eu-west-1': euWest1,
          'ap-southeast-2': apSoutheast2,
        },
      },
      [DEMO_MEMBER_ACCOUNT_ID]: {
        roles: [DEMO_MEMBER_ROLE_NAME],
        regions: { 'us-east-1': memberUsEast1, 'eu-west-1': memberEuWest1 },
      },
    },
    internetMonitor: { internetEvents },
  });
  // Whole seconds, as the data is written: no millisecond noise on the wire.
  shiftTimestamps(fixtures, Math.floor(now.getTime() / 1000) * 1000 - NOW_MS);
  return fixtures;
}
