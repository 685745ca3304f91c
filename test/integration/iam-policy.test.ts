import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTITIONS, partitionOf } from '../../src/aws/regions.js';
import type { Fixtures } from '../../src/emulator/index.js';
import { modules } from '../../src/modules/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

/*
 * iam/gateway-policy.json (the read policy of the gateway's own account and of the member roles alike) against
 * the calls the gateway really makes: every SDK client the gateway builds records
 * the operations and inputs it sends (through the emulator, in regions of three partitions), each call is turned
 * into the resource IAM authorizes it on (the Service Authorization Reference's resource types), and an Allow
 * statement of the policy must grant the action on that resource. One policy serves every partition: a resource
 * pattern that names a partition (`arn:aws:...`) would grant nothing in the others.
 */

const ACCOUNT = '246813579024';
const REGIONS = ['us-east-1', 'cn-north-1', 'us-gov-west-1'];

interface Statement {
  Effect: string;
  Action: string[];
  Resource: string | string[];
}
const policy = JSON.parse(readFileSync('iam/gateway-policy.json', 'utf8')) as { Statement: Statement[] };

/** IAM's wildcards within a resource ARN: `*` any run of characters, `?` one character. */
function matches(pattern: string, arn: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(arn);
}

function allows(action: string, resource: string): boolean {
  return policy.Statement.some(
    (s) =>
      s.Effect === 'Allow' &&
      s.Action.includes(action) &&
      [s.Resource].flat().some((pattern) => matches(pattern, resource)),
  );
}

interface Call {
  service: string;
  region: string;
  operation: string;
  input: Record<string, string | undefined>;
}

/** The resource IAM checks for a call (resource types of the Service Authorization Reference; `*` where none). */
function resourceOf(call: Call): string {
  const arn = (service: string, region: string, resource: string) =>
    `arn:${partitionOf(region)}:${service}:${region}:${ACCOUNT}:${resource}`;
  switch (`${call.service}:${call.operation}`) {
    case 'profile:GetEventStream':
      return arn(
        'profile',
        call.region,
        `domains/${call.input.DomainName}/event-streams/${call.input.EventStreamName}`,
      );
    case 'profile:ListEventStreams':
      return arn('profile', call.region, `domains/${call.input.DomainName}`);
    case 'kinesis:DescribeStreamSummary':
      return call.input.StreamARN!;
    case 'personalize:DescribeEventTracker':
      return call.input.eventTrackerArn!;
    case 'personalize:DescribeDatasetGroup':
      return call.input.datasetGroupArn!;
    case 'internetmonitor:GetInternetEvent':
      return `arn:${partitionOf(call.region)}:internetmonitor::${ACCOUNT}:internet-event/${call.input.EventId}`;
    default:
      return '*';
  }
}

function fixtures(): Fixtures {
  const regional = (region: string) => ({
    customerProfiles: {
      domains: [
        {
          DomainName: 'shop',
          eventStreams: ['orders', 'clicks'].map((name) => ({
            EventStreamName: name,
            CreatedAt: '2024-03-01T12:00:00Z',
            State: 'RUNNING',
            DestinationDetails: {
              Uri: `arn:${partitionOf(region)}:kinesis:${region}:${ACCOUNT}:stream/s`,
              Status: 'HEALTHY',
            },
          })),
        },
      ],
    },
    kinesis: {
      streams: [
        {
          StreamName: 's',
          StreamStatus: 'ACTIVE',
          StreamModeDetails: { StreamMode: 'ON_DEMAND' },
          RetentionPeriodHours: 24,
          StreamCreationTimestamp: '2024-01-01T00:00:00Z',
          EncryptionType: 'NONE',
          OpenShardCount: 1,
          ConsumerCount: 0,
        },
      ],
    },
    personalize: {
      datasetGroups: [{ name: 'shop', creationDateTime: '2024-01-01T00:00:00Z' }],
      eventTrackers: [
        {
          name: 'tracker',
          datasetGroupArn: `arn:${partitionOf(region)}:personalize:${region}:${ACCOUNT}:dataset-group/shop`,
          creationDateTime: '2024-01-01T00:00:00Z',
        },
      ],
    },
  });
  return {
    accountId: ACCOUNT,
    regions: Object.fromEntries(REGIONS.map((region) => [region, regional(region)])),
    internetMonitor: {
      internetEvents: [
        {
          EventId: '2f6d1c3b-8a4e-4c7f-9b1d-0e5a7c3f9d21',
          StartedAt: '2024-04-18T10:00:00Z',
          EventType: 'AVAILABILITY',
          EventStatus: 'ACTIVE',
          ClientLocation: { ASName: 'A', ASNumber: 1, Country: 'C', City: 'X', Latitude: 1, Longitude: 2 },
        },
      ],
    },
  };
}

let stack: Stack;
const calls: Call[] = [];

beforeAll(async () => {
  stack = await startStack({ fixtures: fixtures(), env: { CACHE_STORE: 'none', RESPONSE_CACHE_MAX_BYTES: '0' } });
  // Every client the gateway will use, built by its own registry, records what it sends.
  for (const service of modules.flatMap((m) => m.awsServices)) {
    for (const region of service.global ? [stack.config.aws.globalRegion] : REGIONS) {
      const client = stack.gateway.services.clients.get(service.id, region);
      (client.middlewareStack as unknown as { add: (m: unknown, o: unknown) => void }).add(
        (next: (args: unknown) => Promise<unknown>, context: { commandName: string }) =>
          async (args: { input: Call['input'] }) => {
            calls.push({
              service: service.id,
              region,
              operation: context.commandName.replace(/Command$/, ''),
              input: args.input,
            });
            return next(args);
          },
        { step: 'initialize', name: 'recordCall' },
      );
    }
  }
});
afterAll(() => stack?.close());

describe('the IAM policy', () => {
  it('grants every call the gateway makes, in each partition it serves', async () => {
    for (const region of REGIONS) {
      const partition = partitionOf(region);
      const stream = `arn:${partition}:profile:${region}:${ACCOUNT}:domains/shop/event-streams/orders`;
      const tracker = `arn:${partition}:personalize:${region}:${ACCOUNT}:event-tracker/tracker`;
      const group = `arn:${partition}:personalize:${region}:${ACCOUNT}:dataset-group/shop`;
      const profiles = partition !== 'aws-cn';
      const personalize = partition !== 'aws-us-gov';
      // Literal arguments: only what exists in this partition is asked for.
      const fields = [
        ...(profiles
          ? [
              `eventStreams(domainName: "shop", region: "${region}") { nodes { name createdAt } }`,
              `node(id: "${stream}") { ... on EventStream { destination { kinesisStream { status } } } }`,
              `domains(regions: ["${region}"]) { nodes { name } }`,
            ]
          : []),
        ...(personalize
          ? [
              `eventTracker(arn: "${tracker}") { datasetGroup { name } }`,
              `eventTrackers(datasetGroupArn: "${group}") { nodes { name } }`,
              `datasetGroup(arn: "${group}") { eventTrackers { nodes { name } } }`,
              `datasetGroups(regions: ["${region}"]) { nodes { name } }`,
            ]
          : []),
        'internetEvents { nodes { eventId } }',
        'internetEvent(eventId: "2f6d1c3b-8a4e-4c7f-9b1d-0e5a7c3f9d21") { eventId }',
      ];
      const res = await stack.query(`{ ${fields.join('\n')} }`);
      expect(res.errors, region).toBeUndefined();
    }
    const operations = new Set(calls.map((c) => `${c.service}:${c.operation}`));
    // Every action the modules declare was exercised, and nothing else was called.
    expect([...operations].sort()).toEqual(modules.flatMap((m) => m.awsServices.flatMap((s) => s.iamActions)).sort());
    expect(new Set(calls.map((c) => partitionOf(c.region)))).toEqual(new Set(['aws', 'aws-cn', 'aws-us-gov']));
    for (const call of calls) {
      const action = `${call.service}:${call.operation}`;
      expect(allows(action, resourceOf(call)), `${action} on ${resourceOf(call)}`).toBe(true);
    }
  });

  it('grants each action in every partition the gateway reads, not in aws alone', () => {
    for (const partition of PARTITIONS) {
      const stream = `arn:${partition}:profile:us-x-1:${ACCOUNT}:domains/d/event-streams/s`;
      expect(allows('profile:GetEventStream', stream), partition).toBe(true);
      expect(allows('profile:ListEventStreams', `arn:${partition}:profile:us-x-1:${ACCOUNT}:domains/d`)).toBe(true);
      expect(
        allows('personalize:DescribeEventTracker', `arn:${partition}:personalize:r:${ACCOUNT}:event-tracker/t`),
      ).toBe(true);
    }
    // The policy before: a partition in the pattern grants nothing elsewhere (the check can fail).
    expect(matches('arn:aws:profile:*:*:domains/*', `arn:aws-cn:profile:cn-north-1:${ACCOUNT}:domains/d`)).toBe(false);
  });

  it('names partitions the gateway reads for every service it calls', () => {
    for (const service of modules.flatMap((m) => m.awsServices)) {
      expect(service.partitions.length, service.id).toBeGreaterThan(0);
      for (const partition of service.partitions) expect(PARTITIONS).toContain(partition);
    }
  });

  it('lets the gateway assume the member roles, which trust it only with the external id', () => {
    const assume = JSON.parse(readFileSync('iam/gateway-assume-role-policy.json', 'utf8')) as {
      Statement: Statement[];
    };
    const trust = JSON.parse(readFileSync('iam/member-account-trust-policy.json', 'utf8')) as {
      Statement: Array<Statement & { Principal: { AWS: string }; Condition: Record<string, Record<string, string>> }>;
    };
    for (const partition of PARTITIONS) {
      const role = `arn:${partition}:iam::${ACCOUNT}:role/aws-events-graph-reader`;
      const granted = assume.Statement.some(
        (s) => s.Action.includes('sts:AssumeRole') && [s.Resource].flat().some((p) => matches(p, role)),
      );
      expect(granted, partition).toBe(true);
    }
    expect(assume.Statement.flatMap((s) => s.Action)).toEqual(['sts:AssumeRole']);
    const [statement] = trust.Statement;
    expect(statement).toMatchObject({ Effect: 'Allow', Action: 'sts:AssumeRole' });
    expect(statement?.Condition.StringEquals).toHaveProperty(['sts:ExternalId']);
  });
});
