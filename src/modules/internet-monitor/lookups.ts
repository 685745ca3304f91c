import { badUserInput, notFound } from '../../errors.js';
import type { AccountScope, ResourceIdentity } from '../../resource/identity.js';
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
 * The one bare id `node` and `nodes` take: an internet event id, which AWS makes a UUID (8-4-4-4-12 hex digits).
 * AWS's own pattern for EventId (`[a-zA-Z0-9-]{1,255}`) would take any word, so `node(id: "anything")` would cost
 * a call; anything that is neither an ARN nor UUID-shaped is refused (BAD_USER_INPUT) at zero calls instead.
 */
const BARE_EVENT_ID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** An id given as an event id (the `eventId` argument or entity key): AWS's own EventId rule applies. */
function eventIdIdentity(id: string, argument: string, scope: AccountScope): ResourceIdentity {
  return internetEventIdentity(scope, check(argument, Rules.eventId, id));
}

const resolveEvent: NodeForm['resolve'] = async (ctx, identity, id) => {
  const event = await internetEventLoaders(ctx).internetEvent.load(identity);
  return event && (!id.startsWith('arn:') || event.arn === id) ? event : null;
};

/**
 * Internet events by ARN (opaque: looked up by the id it ends with, and the answer's ARN must match) or by a
 * UUID-shaped event id, for `node`, `nodes` and entity references (an `eventId` key takes AWS's own EventId rule).
 */
export const internetEventNodeForm: NodeForm = {
  typeName: 'InternetEvent',
  parse(id, { argument, arn, scope, entityKey }) {
    if (entityKey === 'eventId') return eventIdIdentity(id, argument, scope);
    if (arn) {
      if (arn.service !== SERVICE) return null;
      const eventId = internetEventIdFromArn(id);
      if (!eventId) throw badUserInput(argument, 'must be an internet event ARN (arn:<partition>:internetmonitor:...)');
      // Internet event ARNs name no region: only the partition says where the event would be.
      checkAvailable(argument, AVAILABILITY, arn.region, arn.partition);
      return internetEventIdentity(arn.accountId ? arn : scope, eventId);
    }
    return BARE_EVENT_ID.test(id) ? internetEventIdentity(scope, id) : null;
  },
  resolve: resolveEvent,
  cost: (identities) => internetEventPlans.events(identities),
};

/**
 * Entity references keyed by `eventId`: the key says what the value is, so AWS's own EventId rule applies, as for
 * `internetEvent(eventId:)`.
 */
export const internetEventIdForm: NodeForm = {
  typeName: 'InternetEvent',
  parse: (id, { argument, scope }) => eventIdIdentity(id, argument, scope),
  resolve: resolveEvent,
  cost: (identities) => internetEventPlans.events(identities),
};
