import { badUserInput, notFound } from '../../errors.js';
import type { ResourceIdentity } from '../../resource/identity.js';
import type { NodeForm } from '../../service-module.js';
import { check, checkAvailable } from '../../validation.js';
import { AVAILABILITY, SERVICE, internetEventIdFromArn, internetEventIdentity } from './arns.js';
import { internetEventLoaders, internetEventPlans } from './loaders.js';
import { Rules } from './rules.js';

export function internetEventNotFound(identity: ResourceIdentity, region: string): Error {
  return notFound(`Internet event ${identity.id}`, {
    service: SERVICE,
    operation: 'GetInternetEvent',
    region,
    accountId: identity.accountId,
  });
}

/**
 * Internet events by ARN (opaque: looked up by the id it ends with, and the answer's ARN must match) or by bare
 * event id, for `node`, `nodes` and entity references (keyed by `eventId` or `arn`).
 */
export const internetEventNodeForm: NodeForm = {
  typeName: 'InternetEvent',
  parse(id, { argument, arn, scope }) {
    if (arn) {
      if (arn.service !== SERVICE) return null;
      const eventId = internetEventIdFromArn(id);
      if (!eventId) throw badUserInput(argument, 'must be an internet event ARN (arn:<partition>:internetmonitor:...)');
      // Internet event ARNs name no region: only the partition says where the event would be.
      checkAvailable(argument, AVAILABILITY, arn.region, arn.partition);
      return internetEventIdentity(arn.accountId ? arn : scope, eventId);
    }
    if (id.startsWith('arn:') || !Rules.eventId.safeParse(id).success) return null;
    return internetEventIdentity(scope, check(argument, Rules.eventId, id));
  },
  async resolve(ctx, identity, id) {
    const event = await internetEventLoaders(ctx).internetEvent.load(identity);
    return event && (!id.startsWith('arn:') || event.arn === id) ? event : null;
  },
  cost: (identities) => internetEventPlans.events(identities),
};
