import { type Arn, parseArn } from '../../resource/arn.js';
import type { ResourceIdentity } from '../../resource/identity.js';

/** Personalize ARNs: `arn:<partition>:personalize:<region>:<account>:<event-tracker|dataset-group>/<name>`. */

export const SERVICE = 'personalize';

/**
 * Where AWS offers Personalize: the commercial partition and China (Beijing). Not in AWS GovCloud (US) or the ISO
 * partitions. Add a partition here when AWS launches the service there.
 */
export const AVAILABILITY = { label: 'Amazon Personalize', partitions: ['aws', 'aws-cn'] } as const;

export type PersonalizeResourceType = 'event-tracker' | 'dataset-group';

export interface PersonalizeArn extends Arn {
  type: PersonalizeResourceType;
  name: string;
}

const RESOURCE = /^(event-tracker|dataset-group)\/([a-zA-Z0-9][a-zA-Z0-9_-]{0,62})$/;

export function parsePersonalizeArn(value: string, type?: PersonalizeResourceType): PersonalizeArn | null {
  const arn = parseArn(value);
  if (!arn || arn.service !== SERVICE || !arn.region) return null;
  const m = RESOURCE.exec(arn.resource);
  const [, kind, name] = m ?? [];
  if (!name || (kind !== 'event-tracker' && kind !== 'dataset-group') || (type && kind !== type)) return null;
  const { partition, service, region, accountId, resource } = arn;
  return { partition, service, region, accountId, resource, type: kind, name };
}

/** The identity an ARN names. */
export function identityOf(arn: PersonalizeArn): ResourceIdentity {
  return {
    partition: arn.partition,
    accountId: arn.accountId,
    region: arn.region,
    service: SERVICE,
    type: arn.type,
    id: arn.name,
  };
}

/** The ARN of an identity (Personalize's APIs take ARNs). */
export function arnOf(identity: ResourceIdentity): string {
  return `arn:${identity.partition}:${SERVICE}:${identity.region}:${identity.accountId}:${identity.type}/${identity.id}`;
}

/** The list a tracker is in: all trackers of its account and region (the planner's group). */
export function regionListOf(identity: ResourceIdentity): string {
  return `${identity.partition}:${identity.accountId}:${identity.region}`;
}
