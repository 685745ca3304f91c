import { partitionOf } from './services.js';

/*
 * ARNs the emulator derives when a fixture omits one. The formats follow the IAM Service
 * Authorization Reference for `profile` and `personalize`; Internet Monitor's EventArn format is
 * undocumented (clients must treat it as opaque), so the emulator picks a global, region-less ARN.
 */

export function eventStreamArnFor(
  region: string,
  accountId: string,
  domainName: string,
  eventStreamName: string,
): string {
  return `arn:${partitionOf(region)}:profile:${region}:${accountId}:domains/${domainName}/event-streams/${eventStreamName}`;
}

export function datasetGroupArnFor(region: string, accountId: string, name: string): string {
  return `arn:${partitionOf(region)}:personalize:${region}:${accountId}:dataset-group/${name}`;
}

export function eventTrackerArnFor(region: string, accountId: string, name: string): string {
  return `arn:${partitionOf(region)}:personalize:${region}:${accountId}:event-tracker/${name}`;
}

export function internetEventArnFor(accountId: string, eventId: string): string {
  return `arn:aws:internetmonitor::${accountId}:internet-event/${eventId}`;
}

export function kinesisStreamArnFor(region: string, accountId: string, streamName: string): string {
  return `arn:${partitionOf(region)}:kinesis:${region}:${accountId}:stream/${streamName}`;
}
