import { parseArn } from '../../resource/arn.js';
import type { AccountScope, ResourceIdentity } from '../../resource/identity.js';

export const SERVICE = 'internetmonitor';

/**
 * Where AWS offers Internet Monitor: the commercial partition, China and AWS GovCloud (US). Not in the ISO
 * partitions. Add a partition here when AWS launches the service there.
 */
export const AVAILABILITY = {
  label: 'CloudWatch Internet Monitor',
  partitions: ['aws', 'aws-cn', 'aws-us-gov'],
} as const;
/** Internet event ARNs are opaque in AWS's documentation: this is the module's own name for the type. */
export const INTERNET_EVENT = 'internet-event';

const EVENT_ID = /^[a-zA-Z0-9-]{1,255}$/;

/**
 * Internet event ARNs are opaque; events are looked up by id. The id is taken from the last path segment and
 * callers confirm the fetched event's ARN matches, so a wrong guess yields a miss.
 */
export function internetEventIdFromArn(value: string): string | null {
  const arn = parseArn(value);
  if (!arn || arn.service !== SERVICE) return null;
  const id = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
  return EVENT_ID.test(id) ? id : null;
}

/** Internet events are global: no region in their identity (one configured region answers for all). */
export function internetEventIdentity(scope: AccountScope, eventId: string): ResourceIdentity {
  return {
    partition: scope.partition,
    accountId: scope.accountId,
    region: '',
    service: SERVICE,
    type: INTERNET_EVENT,
    id: eventId,
  };
}
