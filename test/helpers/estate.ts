import type { FixturesDocument } from '../../src/emulator/index.js';

/*
 * A small estate for the gateway's estate tests: two accounts with data in two regions, and a third account the
 * gateway is configured for whose role does not exist (the emulator has no such account: AssumeRole is denied).
 */

/** The account of the gateway's own (long-term) credentials: the first of the fixtures. */
export const OWN = '111111111111';
/** A member account: the gateway assumes ROLE there. */
export const MEMBER = '222222222222';
/** Configured, but its role cannot be assumed. */
export const UNREACHABLE = '333333333333';
export const ROLE = 'EstateReader';
export const REGIONS = ['eu-west-1', 'us-east-1'] as const;

export const roleOf = (account: string) => `arn:aws:iam::${account}:role/${ROLE}`;

/** The gateway's settings for this estate. */
export const ESTATE_ENV = {
  AWS_ACCOUNTS: `${MEMBER}=${roleOf(MEMBER)},${UNREACHABLE}=${roleOf(UNREACHABLE)}`,
  ALLOWED_REGIONS: REGIONS.join(','),
};

export const streamArn = (account: string, region: string, domain: string, name: string) =>
  `arn:aws:profile:${region}:${account}:domains/${domain}/event-streams/${name}`;
export const kinesisArn = (account: string, region: string, name: string) =>
  `arn:aws:kinesis:${region}:${account}:stream/${name}`;
export const groupArn = (account: string, region: string, name: string) =>
  `arn:aws:personalize:${region}:${account}:dataset-group/${name}`;

/** The domain of an account's region: `shop-<last four digits>-<region>`. */
export const domainOf = (account: string, region: string) => `shop-${account.slice(-4)}-${region}`;

function regional(account: string, region: string) {
  const domain = domainOf(account, region);
  const stream = (name: string, state: string, status: string, uri = kinesisArn(account, region, `${name}-kds`)) => ({
    EventStreamName: name,
    CreatedAt: '2024-03-01T12:00:00Z',
    State: state,
    ...(state === 'STOPPED' ? { StoppedSince: '2024-04-01T00:00:00Z' } : {}),
    DestinationDetails: {
      Uri: uri,
      Status: status,
      ...(status === 'UNHEALTHY' ? { UnhealthySince: '2024-04-01T00:00:00Z' } : {}),
    },
  });
  const kinesis = (name: string, status: string) => ({
    StreamName: name,
    StreamStatus: status,
    StreamModeDetails: { StreamMode: 'ON_DEMAND' },
    RetentionPeriodHours: 24,
    StreamCreationTimestamp: '2024-02-01T00:00:00Z',
    EncryptionType: 'KMS',
    KeyId: 'alias/aws/kinesis',
    OpenShardCount: 4,
    ConsumerCount: 1,
  });
  return {
    customerProfiles: {
      domains: [
        {
          DomainName: domain,
          CreatedAt: '2024-01-01T00:00:00Z',
          LastUpdatedAt: '2024-01-02T00:00:00Z',
          Tags: { owner: account },
          eventStreams: [
            stream('orders', 'RUNNING', 'HEALTHY'),
            stream('clicks', 'RUNNING', 'UNHEALTHY'),
            stream('returns', 'STOPPED', 'HEALTHY'),
            // Not a Kinesis stream: no kinesisStream.
            stream('audit', 'RUNNING', 'HEALTHY', `arn:aws:s3:::audit-${account}-${region}`),
          ],
        },
      ],
    },
    personalize: {
      datasetGroups: [{ name: 'recs', status: 'ACTIVE', creationDateTime: '2024-01-10T10:00:00Z' }],
      eventTrackers: [
        {
          name: 'recs-tracker',
          datasetGroupArn: groupArn(account, region, 'recs'),
          status: 'ACTIVE',
          creationDateTime: '2024-01-10T11:00:00Z',
        },
      ],
    },
    kinesis: {
      streams: [kinesis('orders-kds', 'ACTIVE'), kinesis('clicks-kds', 'UPDATING'), kinesis('returns-kds', 'ACTIVE')],
    },
  };
}

export function estateFixtures(): FixturesDocument {
  const account = (id: string) => ({
    regions: Object.fromEntries(REGIONS.map((region) => [region, regional(id, region)])),
  });
  return {
    accounts: { [OWN]: account(OWN), [MEMBER]: { ...account(MEMBER), roles: [ROLE] } },
  } as FixturesDocument;
}
