import { describe, expect, it } from 'vitest';
import { toDate, toNumber, toTags } from '../../src/mappers.js';
import { toEventStream, toEventStreamFromSummary } from '../../src/modules/customer-profiles/mappers.js';
import { eventStreamIdentity } from '../../src/modules/customer-profiles/arns.js';
import { toInternetEvent } from '../../src/modules/internet-monitor/mappers.js';
import {
  toDatasetGroup,
  toDatasetGroupStatus,
  toEventTracker,
  toEventTrackerStatus,
} from '../../src/modules/personalize/mappers.js';

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

  it('reads a missing or non-finite number as null, never as 0', () => {
    expect(toNumber(undefined)).toBeNull();
    expect(toNumber(null)).toBeNull();
    expect(toNumber(Number.NaN)).toBeNull();
    expect(toNumber(0)).toBe(0);
    expect(toNumber(4294967295)).toBe(4294967295);
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

  it.each([
    ['CREATE PENDING', 'CREATE_PENDING'],
    ['CREATE FAILED', 'CREATE_FAILED'],
    ['DELETE PENDING', 'DELETE_PENDING'],
    // Documented for trackers, not for dataset groups.
    ['DELETE IN_PROGRESS', 'UNKNOWN'],
    ['UPDATE PENDING', 'UNKNOWN'],
  ])('maps the dataset group status %j to %s', (raw, expected) => {
    expect(toDatasetGroupStatus(raw)).toBe(expected);
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
      ),
    ).toMatchObject({ domain: null, domainText: null, failureReason: null, roleArn: null, kmsKeyArn: null });
  });

  it('maps a domain it does not know to UNKNOWN, with the raw string beside it', () => {
    const group = toDatasetGroup(
      'arn:aws:personalize:us-east-1:123456789012:dataset-group/g',
      { name: 'g', status: 'CREATE FAILED', domain: 'GAMING' as never, failureReason: 'Role not found' },
      'us-east-1',
    );
    expect(group).toMatchObject({
      status: 'CREATE_FAILED',
      statusText: 'CREATE FAILED',
      domain: 'UNKNOWN',
      domainText: 'GAMING',
      failureReason: 'Role not found',
    });
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

  it('maps a state and a destination status it does not know to UNKNOWN, with the raw strings beside them', () => {
    const stream = toEventStream(key, {
      $metadata: {},
      DomainName: 'd',
      EventStreamArn: 'arn:aws:profile:us-east-1:123456789012:domains/d/event-streams/s',
      CreatedAt: new Date(0),
      State: 'STARTING' as never,
      DestinationDetails: { Uri: 'x', Status: 'DEGRADED' as never },
    });
    expect(stream).toMatchObject({
      state: 'UNKNOWN',
      stateText: 'STARTING',
      destination: { status: 'UNKNOWN', statusText: 'DEGRADED' },
    });
  });
});

describe('Internet Monitor mapper', () => {
  it('keeps a 4-byte AS number exact and maps a status and a type it does not know to UNKNOWN', () => {
    const event = toInternetEvent({
      EventId: 'e',
      EventArn: 'arn:aws:internetmonitor::123456789012:internet-event/e',
      StartedAt: new Date(0),
      EndedAt: new Date(1000),
      EventType: 'OUTAGE',
      EventStatus: 'SOMETHING_NEW',
      ClientLocation: { ASName: 'n', ASNumber: 4294967295, Country: 'c', City: 'x', Latitude: 1.5, Longitude: -2.5 },
    } as never);
    expect(event.clientLocation.asNumber).toBe(4294967295);
    // Not guessed from EndedAt: the raw value is kept for the caller to read.
    expect(event).toMatchObject({
      status: 'UNKNOWN',
      statusText: 'SOMETHING_NEW',
      type: 'UNKNOWN',
      typeText: 'OUTAGE',
    });
    expect(event.clientLocation.subdivision).toBeNull();
  });

  it('reads missing AS number and coordinates as null', () => {
    const event = toInternetEvent({
      EventId: 'e',
      EventArn: 'arn:aws:internetmonitor::123456789012:internet-event/e',
      StartedAt: new Date(0),
      EventType: 'AVAILABILITY',
      EventStatus: 'ACTIVE',
      ClientLocation: { ASName: 'n', Country: 'c', City: 'x' },
    } as never);
    expect(event.clientLocation).toMatchObject({ asNumber: null, latitude: null, longitude: null });
  });
});
