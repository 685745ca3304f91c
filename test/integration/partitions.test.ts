import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fixtures } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

/*
 * ARNs of every partition the gateway reads (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b) are understood; a
 * resource is looked up where its service exists, and refused with a message naming the partition, at zero AWS
 * calls, where it does not.
 */

const ACCOUNT = '135792468013';

function fixtures(): Fixtures {
  return {
    accountId: ACCOUNT,
    regions: {
      'cn-north-1': {
        personalize: { datasetGroups: [{ name: 'shop', status: 'ACTIVE', creationDateTime: '2024-01-01T00:00:00Z' }] },
      },
      'us-gov-west-1': {
        customerProfiles: {
          domains: [
            {
              DomainName: 'agency',
              eventStreams: [
                {
                  EventStreamName: 'cases',
                  CreatedAt: '2024-03-01T12:00:00Z',
                  State: 'RUNNING',
                  DestinationDetails: {
                    Uri: `arn:aws-us-gov:kinesis:us-gov-west-1:${ACCOUNT}:stream/cases`,
                    Status: 'HEALTHY',
                  },
                },
              ],
            },
          ],
        },
      },
    },
  };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fixtures: fixtures(), env: { CACHE_STORE: 'none' } });
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetCalls());

describe('partitions', () => {
  it('looks up resources by ARN in aws-cn and aws-us-gov, where their services exist', async () => {
    const group = `arn:aws-cn:personalize:cn-north-1:${ACCOUNT}:dataset-group/shop`;
    const stream = `arn:aws-us-gov:profile:us-gov-west-1:${ACCOUNT}:domains/agency/event-streams/cases`;
    const res = await stack.query(
      `query($group: ID!, $stream: ID!) {
      group: node(id: $group) { id ... on DatasetGroup { name region } }
      stream: node(id: $stream) { id ... on EventStream { name region } }
    }`,
      { group, stream },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      group: { id: group, name: 'shop', region: 'cn-north-1' },
      stream: { id: stream, name: 'cases', region: 'us-gov-west-1' },
    });
  });

  it.each([
    [
      'an aws-iso event tracker',
      'arn:aws-iso:personalize:us-iso-east-1:135792468013:event-tracker/t',
      'is in partition aws-iso, where Amazon Personalize does not exist (it does in aws, aws-cn)',
    ],
    [
      'an aws-iso-b event stream',
      'arn:aws-iso-b:profile:us-isob-east-1:135792468013:domains/d/event-streams/s',
      'is in partition aws-iso-b, where Amazon Connect Customer Profiles does not exist (it does in aws, aws-us-gov)',
    ],
    [
      'an aws-iso internet event',
      'arn:aws-iso:internetmonitor::135792468013:internet-event/2f6d1c3b-8a4e-4c7f-9b1d-0e5a7c3f9d21',
      'is in partition aws-iso, where CloudWatch Internet Monitor does not exist',
    ],
    [
      'a China event stream',
      'arn:aws-cn:profile:cn-north-1:135792468013:domains/d/event-streams/s',
      'where Amazon Connect Customer Profiles does not exist',
    ],
    [
      'an ARN whose region is not of its partition',
      'arn:aws-iso:personalize:us-east-1:135792468013:dataset-group/g',
      'names region us-east-1, which is not in partition aws-iso',
    ],
  ])('refuses %s, naming the partition, at zero AWS calls', async (_case, id, message) => {
    const res = await stack.query('query($id: ID!) { node(id: $id) { id } }', { id });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toContain(message);
    expect(stack.totalCalls()).toBe(0);
  });

  it('refuses a region argument of a partition where the service does not exist', async () => {
    const res = await stack.query(`{
      eventStreams(domainName: "d", region: "cn-north-1") { nodes { name } }
    }`);
    expect(res.errors![0]).toMatchObject({
      message:
        'Argument "region" is in partition aws-cn, where Amazon Connect Customer Profiles does not exist ' +
        '(it does in aws, aws-us-gov).',
      extensions: { code: 'BAD_USER_INPUT', argument: 'region' },
    });
    const trackers = await stack.query('{ eventTrackers(region: "us-isob-east-1") { nodes { name } } }');
    expect(trackers.errors![0]!.message).toContain('partition aws-iso-b, where Amazon Personalize does not exist');
    expect(stack.totalCalls()).toBe(0);
  });
});
