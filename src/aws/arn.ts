/**
 * ARN parsing for the three services. Shapes follow the reference (aws-apis.md "ARN formats"); the Customer
 * Profiles shape is not formally documented, so parsing accepts exactly the documented layout and nothing looser
 * where a wrong guess would send a request to the wrong resource.
 */
export interface Arn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

const ARN_PATTERN = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|):(.+)$/;

export function parseArn(value: string): Arn | null {
  const m = ARN_PATTERN.exec(value);
  if (!m) return null;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, accountId: m[4]!, resource: m[5]! };
}

const NAME = '[a-zA-Z0-9_-]{1,64}';
const EVENT_STREAM_RESOURCE = new RegExp(`^domains/(${NAME})/event-streams/(${NAME})$`);

export interface EventStreamArn extends Arn {
  domainName: string;
  name: string;
}

export function parseEventStreamArn(value: string): EventStreamArn | null {
  const arn = parseArn(value);
  if (!arn || arn.service !== 'profile' || !arn.region) return null;
  const m = EVENT_STREAM_RESOURCE.exec(arn.resource);
  return m ? { ...arn, domainName: m[1]!, name: m[2]! } : null;
}

export type PersonalizeResourceType = 'event-tracker' | 'dataset-group';

export interface PersonalizeArn extends Arn {
  type: PersonalizeResourceType;
  name: string;
}

const PERSONALIZE_RESOURCE = /^(event-tracker|dataset-group)\/([a-zA-Z0-9][a-zA-Z0-9_-]{0,62})$/;

export function parsePersonalizeArn(value: string, type?: PersonalizeResourceType): PersonalizeArn | null {
  const arn = parseArn(value);
  if (!arn || arn.service !== 'personalize' || !arn.region) return null;
  const m = PERSONALIZE_RESOURCE.exec(arn.resource);
  if (!m || (type && m[1] !== type)) return null;
  return { ...arn, type: m[1] as PersonalizeResourceType, name: m[2]! };
}

const EVENT_ID = /^[a-zA-Z0-9-]{1,255}$/;

/**
 * Internet event ARNs are opaque in AWS's documentation; events are looked up by id. We take the id from the
 * last path segment and callers confirm the fetched event's ARN matches, so a wrong guess yields a miss.
 */
export function internetEventIdFromArn(value: string): string | null {
  const arn = parseArn(value);
  if (!arn || arn.service !== 'internetmonitor') return null;
  const id = arn.resource.slice(arn.resource.lastIndexOf('/') + 1);
  return EVENT_ID.test(id) ? id : null;
}

/** The stream name of a Kinesis data stream ARN (`arn:aws:kinesis:<region>:<account>:stream/<name>`), else null. */
export function kinesisStreamName(uri: string): string | null {
  const arn = parseArn(uri);
  if (!arn || arn.service !== 'kinesis') return null;
  const m = /^stream\/([a-zA-Z0-9_.-]{1,128})$/.exec(arn.resource);
  return m ? m[1]! : null;
}
