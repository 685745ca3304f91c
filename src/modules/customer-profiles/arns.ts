import { type Arn, parseArn } from '../../resource/arn.js';
import type { AccountScope, ResourceIdentity } from '../../resource/identity.js';

/**
 * Customer Profiles ARNs. The event stream shape is not formally documented, so parsing accepts exactly the
 * documented layout and nothing looser, where a wrong guess would send a request to the wrong resource.
 */

export const SERVICE = 'profile';

/**
 * Where AWS offers Customer Profiles: the commercial partition and AWS GovCloud (US-West), with Amazon Connect. Not
 * in China or the ISO partitions. Add a partition here when AWS launches the service there.
 */
export const AVAILABILITY = { label: 'Amazon Connect Customer Profiles', partitions: ['aws', 'aws-us-gov'] } as const;
export const EVENT_STREAM = 'event-stream';

/** Kinesis Data Streams: where event streams send their events (the module reads the streams behind them). */
export const KINESIS = 'kinesis';
export const KINESIS_STREAM = 'stream';
/** Where AWS offers Kinesis Data Streams: every partition. */
export const KINESIS_AVAILABILITY = {
  label: 'Amazon Kinesis Data Streams',
  partitions: ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b'],
} as const;

const NAME = '[a-zA-Z0-9_-]{1,64}';
const EVENT_STREAM_RESOURCE = new RegExp(`^domains/(${NAME})/event-streams/(${NAME})$`);

export interface EventStreamArn extends Arn {
  domainName: string;
  name: string;
}

export function parseEventStreamArn(value: string): EventStreamArn | null {
  const arn = parseArn(value);
  if (!arn || arn.service !== SERVICE || !arn.region) return null;
  const m = EVENT_STREAM_RESOURCE.exec(arn.resource);
  if (!m?.[1] || !m[2]) return null;
  const { partition, service, region, accountId, resource } = arn;
  return { partition, service, region, accountId, resource, domainName: m[1], name: m[2] };
}

/** The identity of a stream: in its domain, in its account and region. */
export function eventStreamIdentity(
  scope: AccountScope,
  region: string,
  domainName: string,
  name: string,
): ResourceIdentity {
  return {
    partition: scope.partition,
    accountId: scope.accountId,
    region,
    service: SERVICE,
    type: EVENT_STREAM,
    id: `${domainName}/${name}`,
  };
}

/** Domain and stream name of an event stream identity. */
export function eventStreamNames(identity: ResourceIdentity): { domainName: string; name: string } {
  const slash = identity.id.indexOf('/');
  return { domainName: identity.id.slice(0, slash), name: identity.id.slice(slash + 1) };
}

/** The ARN of an event stream identity, in the documented layout (`parseEventStreamArn` reads it back). */
export function eventStreamArnOf(identity: ResourceIdentity): string {
  const { domainName, name } = eventStreamNames(identity);
  const { partition, region, accountId } = identity;
  return `arn:${partition}:${SERVICE}:${region}:${accountId}:domains/${domainName}/event-streams/${name}`;
}

/** The list an event stream is in: its domain, in its account and region (the planner's group). */
export function domainOf(identity: ResourceIdentity): string {
  return `${identity.partition}:${identity.accountId}:${identity.region}:${eventStreamNames(identity).domainName}`;
}

/** The stream name of a Kinesis data stream ARN (`arn:aws:kinesis:<region>:<account>:stream/<name>`), else null. */
export function kinesisStreamName(uri: string): string | null {
  const arn = parseArn(uri);
  if (arn?.service !== KINESIS) return null;
  const m = /^stream\/([a-zA-Z0-9_.-]{1,128})$/.exec(arn.resource);
  return m?.[1] ?? null;
}

/** The identity of the Kinesis stream an ARN names (`arn:<p>:kinesis:<region>:<account>:stream/<name>`), else null. */
export function kinesisStreamIdentity(uri: string): ResourceIdentity | null {
  const arn = parseArn(uri);
  const name = kinesisStreamName(uri);
  if (!arn || !name || !arn.region || !arn.accountId) return null;
  return {
    partition: arn.partition,
    accountId: arn.accountId,
    region: arn.region,
    service: KINESIS,
    type: KINESIS_STREAM,
    id: name,
  };
}

export function kinesisStreamArnOf(identity: ResourceIdentity): string {
  const { partition, region, accountId, id } = identity;
  return `arn:${partition}:${KINESIS}:${region}:${accountId}:${KINESIS_STREAM}/${id}`;
}
