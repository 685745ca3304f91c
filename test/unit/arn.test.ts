import { describe, expect, it } from 'vitest';
import { kinesisStreamName, parseEventStreamArn } from '../../src/modules/customer-profiles/arns.js';
import { internetEventIdFromArn } from '../../src/modules/internet-monitor/arns.js';
import { parsePersonalizeArn } from '../../src/modules/personalize/arns.js';
import { partitionOf } from '../../src/aws/regions.js';
import { parseArn } from '../../src/resource/arn.js';

describe('ARN parsing', () => {
  it('parses an event stream ARN into region, account, domain and name', () => {
    expect(
      parseEventStreamArn('arn:aws:profile:eu-west-1:123456789012:domains/retail/event-streams/orders_1'),
    ).toMatchObject({
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '123456789012',
      domainName: 'retail',
      name: 'orders_1',
    });
  });

  it('keeps the partition of China and GovCloud ARNs', () => {
    expect(parsePersonalizeArn('arn:aws-cn:personalize:cn-north-1:123456789012:dataset-group/g')?.partition).toBe(
      'aws-cn',
    );
    expect(
      parseEventStreamArn('arn:aws-us-gov:profile:us-gov-west-1:123456789012:domains/d/event-streams/s')?.region,
    ).toBe('us-gov-west-1');
  });

  it('reads the ISO partitions, and no partition it does not know', () => {
    expect(parseArn('arn:aws-iso:personalize:us-iso-east-1:123456789012:event-tracker/t')?.partition).toBe('aws-iso');
    expect(parseArn('arn:aws-iso-b:profile:us-isob-east-1:123456789012:domains/d')?.partition).toBe('aws-iso-b');
    expect(parseArn('arn:aws-mars:personalize:mars-1:123456789012:event-tracker/t')).toBeNull();
  });

  it.each([
    ['us-east-1', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['us-iso-west-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('puts %s in partition %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
    // Remembered: asked again, the same answer.
    expect(partitionOf(region)).toBe(partition);
  });

  it('answers for made-up regions beyond what it remembers, and for long ones it never keeps', () => {
    for (let i = 0; i < 1_000; i++) expect(partitionOf(`cn-madeup${i}-1`)).toBe('aws-cn');
    expect(partitionOf('cn-north-1')).toBe('aws-cn');
    expect(partitionOf(`us-gov-${'x'.repeat(100)}-1`)).toBe('aws-us-gov');
  });

  it.each([
    'arn:aws:profile:us-east-1:123456789012:domains/d/event-streams/s/extra',
    'arn:aws:profile:us-east-1:123456789012:domains/../event-streams/s',
    'arn:aws:profile::123456789012:domains/d/event-streams/s',
    'arn:aws:personalize:us-east-1:123456789012:domains/d/event-streams/s',
    'arn:aws:profile:us-east-1:123456789012:domains/d%2Fx/event-streams/s',
  ])('rejects the malformed event stream ARN %s', (arn) => {
    expect(parseEventStreamArn(arn)).toBeNull();
  });

  it('tells event tracker ARNs from dataset group ARNs', () => {
    const tracker = 'arn:aws:personalize:us-east-1:123456789012:event-tracker/t-1';
    expect(parsePersonalizeArn(tracker)).toMatchObject({ type: 'event-tracker', name: 't-1' });
    expect(parsePersonalizeArn(tracker, 'dataset-group')).toBeNull();
    expect(parsePersonalizeArn('arn:aws:personalize:us-east-1:123456789012:dataset-group/-bad')).toBeNull();
  });

  it('takes the internet event id from the end of its ARN', () => {
    expect(internetEventIdFromArn('arn:aws:internetmonitor::123456789012:internet-event/abc-123')).toBe('abc-123');
    expect(internetEventIdFromArn('arn:aws:internetmonitor::123456789012:internet-event/a b')).toBeNull();
    expect(internetEventIdFromArn('arn:aws:s3:::bucket/abc')).toBeNull();
  });

  it('extracts the Kinesis stream name only from Kinesis stream ARNs', () => {
    expect(kinesisStreamName('arn:aws:kinesis:us-east-1:123456789012:stream/orders.v2')).toBe('orders.v2');
    expect(kinesisStreamName('arn:aws:sqs:us-east-1:123456789012:queue')).toBeNull();
    expect(kinesisStreamName('https://example.com')).toBeNull();
  });

  it('rejects ARNs with newlines or a bad account', () => {
    expect(parseArn('arn:aws:personalize:us-east-1:123:event-tracker/t')).toBeNull();
    expect(parseArn('arn:aws:personalize:us-east-1:123456789012:event-tracker/t\n')).toBeNull();
  });
});
