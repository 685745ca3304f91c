import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fixtures } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

/*
 * AWS enums are open: a service may send a value its model did not list when the gateway was built, and a member
 * the model calls required may still be missing. The emulator serves such values (its fixtures take any upper-case
 * enum value and may leave the numbers out); the gateway must answer UNKNOWN with the raw string beside it, and
 * null rather than a made-up 0, through the real SDK clients, for Gets and list summaries alike.
 */

const ACCOUNT = '210987654321';
const GROUP = `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/games`;
const FAILED_GROUP = `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/broken`;

function fixtures(): Fixtures {
  return {
    accountId: ACCOUNT,
    regions: {
      'us-east-1': {
        customerProfiles: {
          domains: [
            {
              DomainName: 'future',
              eventStreams: [
                {
                  EventStreamName: 'starting',
                  CreatedAt: '2024-03-01T12:00:00Z',
                  State: 'STARTING',
                  DestinationDetails: {
                    Uri: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/s`,
                    Status: 'DEGRADED',
                  },
                },
              ],
            },
          ],
        },
        personalize: {
          datasetGroups: [
            {
              name: 'games',
              status: 'UPDATE PENDING',
              domain: 'GAMING',
              creationDateTime: '2024-01-01T00:00:00Z',
            },
            {
              name: 'broken',
              status: 'CREATE FAILED',
              roleArn: `arn:aws:iam::${ACCOUNT}:role/PersonalizeKms`,
              kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182`,
              failureReason: 'The role cannot use the KMS key: kms:Decrypt was denied.',
              creationDateTime: '2024-01-02T00:00:00Z',
            },
          ],
        },
      },
    },
    internetMonitor: {
      internetEvents: [
        {
          EventId: 'b7e1c2d3-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
          StartedAt: '2024-04-18T10:00:00Z',
          EventType: 'OUTAGE',
          EventStatus: 'MONITORING',
          ClientLocation: { ASName: 'Unlocated Net', Country: 'Iceland', City: 'Reykjavik' },
        },
      ],
    },
  };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fixtures: fixtures(), env: { CACHE_STORE: 'none' } });
});
afterAll(() => stack?.close());

describe('values the schema does not know', () => {
  it('maps an unknown stream state and destination status to UNKNOWN, raw text beside, from a Get', async () => {
    const res = await stack.query(`{ eventStream(domainName: "future", name: "starting") {
      state stateText destination { status statusText }
    } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.eventStream).toEqual({
      state: 'UNKNOWN',
      stateText: 'STARTING',
      destination: { status: 'UNKNOWN', statusText: 'DEGRADED' },
    });
  });

  it('does the same from a ListEventStreams summary', async () => {
    stack.resetCalls();
    const res = await stack.query(`{ eventStreams(domainName: "future") { nodes {
      state stateText destination { status statusText }
    } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.eventStreams.nodes).toEqual([
      { state: 'UNKNOWN', stateText: 'STARTING', destination: { status: 'UNKNOWN', statusText: 'DEGRADED' } },
    ]);
    // The summary has both members: no GetEventStream was needed.
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1 });
  });

  it('maps an unknown internet event type and status to UNKNOWN, and missing numbers to null', async () => {
    const res = await stack.query(`{ internetEvent(eventId: "b7e1c2d3-4f5a-4b6c-8d7e-9f0a1b2c3d4e") {
      type typeText status statusText clientLocation { asName asNumber latitude longitude }
    } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.internetEvent).toEqual({
      type: 'UNKNOWN',
      typeText: 'OUTAGE',
      status: 'UNKNOWN',
      statusText: 'MONITORING',
      clientLocation: { asName: 'Unlocated Net', asNumber: null, latitude: null, longitude: null },
    });
  });

  it('does the same in a ListInternetEvents page', async () => {
    const res = await stack.query(`{ internetEvents(startTime: "2024-01-01T00:00:00Z") { nodes {
      type typeText status statusText clientLocation { asNumber latitude longitude }
    } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.internetEvents.nodes).toEqual([
      {
        type: 'UNKNOWN',
        typeText: 'OUTAGE',
        status: 'UNKNOWN',
        statusText: 'MONITORING',
        clientLocation: { asNumber: null, latitude: null, longitude: null },
      },
    ]);
  });

  it('refuses UNKNOWN as an internet event filter, naming the argument, at zero AWS calls', async () => {
    stack.resetCalls();
    const res = await stack.query(`{ internetEvents(status: UNKNOWN) { nodes { eventId } } }`);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'status' } });
    expect(res.errors![0]!.message).toContain('"status"');
    const byType = await stack.query(`{ internetEvents(type: UNKNOWN) { nodes { eventId } } }`);
    expect(byType.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'type' } });
    expect(stack.totalCalls()).toBe(0);
  });

  it('maps an unknown dataset group status and domain to UNKNOWN, with the raw strings', async () => {
    const res = await stack.query(
      `query($g: String!) { datasetGroup(arn: $g) {
      status statusText domain domainText failureReason roleArn kmsKeyArn
    } }`,
      { g: GROUP },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.datasetGroup).toEqual({
      status: 'UNKNOWN',
      statusText: 'UPDATE PENDING',
      domain: 'UNKNOWN',
      domainText: 'GAMING',
      failureReason: null,
      roleArn: null,
      kmsKeyArn: null,
    });
  });
});

describe('dataset group members', () => {
  it('returns the status as an enum with its text, the failure reason, the role and the KMS key', async () => {
    const res = await stack.query(
      `query($g: String!) { datasetGroup(arn: $g) {
      status statusText failureReason roleArn kmsKeyArn domain domainText
    } }`,
      { g: FAILED_GROUP },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.datasetGroup).toEqual({
      status: 'CREATE_FAILED',
      statusText: 'CREATE FAILED',
      failureReason: 'The role cannot use the KMS key: kms:Decrypt was denied.',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/PersonalizeKms`,
      kmsKeyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/2b3c4d5e-6f70-4a81-9b2c-3d4e5f607182`,
      domain: null,
      domainText: null,
    });
  });
});
