import { describe, expect, it } from 'vitest';
import { toDate, toTags } from '../../src/mappers.js';
import { toEventStream, toEventStreamFromSummary } from '../../src/modules/customer-profiles/mappers.js';
import { eventStreamIdentity } from '../../src/modules/customer-profiles/arns.js';
import { toInternetEvent } from '../../src/modules/internet-monitor/mappers.js';
import { toDatasetGroup, toEventTracker, toEventTrackerStatus } from '../../src/modules/personalize/mappers.js';

describe('shared mappers', () => {
  it('turns a tag map into a key-sorted tag list, and nothing into an empty list', () => {
    expect(toTags({ b: '2', a: '1' })).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    expect(toTags(undefined)).toEqual([]);
  });

  it('reads epoch seconds and ISO strings as the same instant', () => {
    expect(toDate(1713434400)!.toISOString()).toBe('2024-04-18T10:00:00.000Z');
    expect(toDate('2024-04-18T12:00:00+02:00')!.toISOString()).toBe('2024-04-18T10:00:00.000Z');
    expect(toDate('garbage')).toBeNull();
  });
});

describe('Personalize status strings', () => {
  it.each([
    ['CREATE PENDING', 'CREATE_PENDING'],
    ['CREATE IN_PROGRESS', 'CREATE_IN_PROGRESS'],
    ['ACTIVE', 'ACTIVE'],
    ['CREATE FAILED', 'CREATE_FAILED'],
    ['DELETE PENDING', 'DELETE_PENDING'],
    ['DELETE IN_PROGRESS', 'DELETE_IN_PROGRESS'],
    ['create  in_progress', 'CREATE_IN_PROGRESS'],
    ['UPDATE PENDING', 'UNKNOWN'],
    ['', 'UNKNOWN'],
    [undefined, 'UNKNOWN'],
  ])('maps %j to %s', (raw, expected) => {
    expect(toEventTrackerStatus(raw)).toBe(expected);
  });

  it('takes region and account from the tracker ARN', () => {
    const t = toEventTracker(
      'arn:aws:personalize:ap-southeast-2:999988887777:event-tracker/t',
      { status: 'ACTIVE' },
      'us-east-1',
    );
    expect(t).toMatchObject({
      region: 'ap-southeast-2',
      accountId: '999988887777',
      name: 't',
      complete: true,
      trackingId: null,
    });
  });

  it('gives a custom dataset group a null domain', () => {
    expect(
      toDatasetGroup(
        'arn:aws:personalize:us-east-1:123456789012:dataset-group/g',
        { name: 'g', status: 'ACTIVE' },
        'us-east-1',
      ).domain,
    ).toBeNull();
  });
});

describe('Customer Profiles mappers', () => {
  const key = eventStreamIdentity({ partition: 'aws', accountId: '123456789012' }, 'us-east-1', 'd', 's');

  it('marks list summaries incomplete and GetEventStream output complete', () => {
    const summary = toEventStreamFromSummary({ partition: 'aws', accountId: '123456789012' }, 'us-east-1', {
      DomainName: 'd',
      EventStreamName: 's',
      EventStreamArn: 'arn:aws:profile:us-east-1:123456789012:domains/d/event-streams/s',
      State: 'RUNNING',
      DestinationSummary: { Uri: 'arn:aws:kinesis:us-east-1:123456789012:stream/k', Status: 'HEALTHY' },
    });
    expect(summary).toMatchObject({
      complete: false,
      createdAt: null,
      destination: { complete: false, kinesisStreamName: 'k', message: null },
    });
    const full = toEventStream(key, {
      $metadata: {},
      DomainName: 'd',
      EventStreamArn: 'arn:aws:profile:us-east-1:123456789012:domains/d/event-streams/s',
      CreatedAt: new Date(0),
      State: 'STOPPED',
      DestinationDetails: { Uri: 'x', Status: 'UNHEALTHY', Message: 'm' },
    });
    expect(full).toMatchObject({
      complete: true,
      name: 's',
      state: 'STOPPED',
      destination: { complete: true, message: 'm', kinesisStreamName: null },
    });
  });
});

describe('Internet Monitor mapper', () => {
  it('keeps a 4-byte AS number exact and derives the status from EndedAt when the status is unknown', () => {
    const event = toInternetEvent({
      EventId: 'e',
      EventArn: 'arn:aws:internetmonitor::123456789012:internet-event/e',
      StartedAt: new Date(0),
      EndedAt: new Date(1000),
      EventType: 'AVAILABILITY',
      EventStatus: 'SOMETHING_NEW',
      ClientLocation: { ASName: 'n', ASNumber: 4294967295, Country: 'c', City: 'x', Latitude: 1.5, Longitude: -2.5 },
    } as never);
    expect(event.clientLocation.asNumber).toBe(4294967295);
    expect(event.status).toBe('RESOLVED');
    expect(event.clientLocation.subdivision).toBeNull();
  });
});
