import { checkArnAccount } from '../../estate.js';
import type { GraphQLResolveInfo } from 'graphql';
import { notFound } from '../../errors.js';
import type { GatewayContext } from '../../context.js';
import type { ResourceIdentity } from '../../resource/identity.js';
import { selectionOf, selectsPath } from '../../selection.js';
import type { NodeForm } from '../../service-module.js';
import { SERVICE, eventStreamIdentity, eventStreamNames } from './arns.js';
import { eventStreamLoaders, eventStreamPlans } from './loaders.js';
import type { EventStreamModel } from './mappers.js';
import { checkEventStreamArn, parseEventStreamIdentifier } from './rules.js';

export function eventStreamNotFound(identity: ResourceIdentity): Error {
  const { domainName, name } = eventStreamNames(identity);
  return notFound(`Event stream ${name} of domain ${domainName} in ${identity.region}`, {
    service: SERVICE,
    operation: 'GetEventStream',
    region: identity.region,
    accountId: identity.accountId,
  });
}

/** The complete stream behind a list summary, for the members summaries lack (CreatedAt, destination message). */
export async function completeEventStream(ctx: GatewayContext, identity: ResourceIdentity): Promise<EventStreamModel> {
  const stream = await eventStreamLoaders(ctx).eventStream.load(identity);
  if (!stream) throw eventStreamNotFound(identity);
  return stream;
}

/** Whether the selection needs members only GetEventStream returns (list summaries lack them). */
export function eventStreamNeedsDetails(has: (path: string) => boolean): boolean {
  return has('createdAt') || has('destination.message');
}

/** The loader that answers the field being resolved with the fewest AWS calls. */
export function eventStreamLoader(ctx: GatewayContext, info: GraphQLResolveInfo | undefined) {
  const loaders = eventStreamLoaders(ctx);
  if (!info) return loaders.eventStream;
  const detailed = eventStreamNeedsDetails(selectsPath(selectionOf(info, 'EventStream')));
  return detailed ? loaders.eventStream : loaders.eventStreamSummary;
}

/** Event stream ARNs, for `node`, `nodes` and entity references. */
export const eventStreamNodeForm: NodeForm = {
  typeName: 'EventStream',
  parse(id, at) {
    const { argument, arn, config } = at;
    if (arn?.service !== SERVICE) return null;
    const parsed = checkEventStreamArn(config, argument, id);
    checkArnAccount(at, parsed.accountId);
    return eventStreamIdentity(parsed, parsed.region, parsed.domainName, parsed.name);
  },
  async resolve(ctx, identity, id, info) {
    const stream = await eventStreamLoader(ctx, info).load(identity);
    // The lookup went by domain and name; the ARN must be the one asked for (its account included).
    return stream && stream.arn === id ? stream : null;
  },
  cost: (identities, detailed) => (detailed ? eventStreamPlans.full(identities) : eventStreamPlans.summary(identities)),
};

/**
 * The StackQL / CloudControl identifier `DomainName|EventStreamName`, for `node` and `nodes`: the stream of that
 * name in the gateway's own account and default region (`eventStreamByIdentifier` takes a region too).
 * The node's `id` is still its ARN.
 */
export const eventStreamIdentifierNodeForm: NodeForm = {
  typeName: 'EventStream',
  parse(id, { argument, arn, scope, config }) {
    if (arn || id.startsWith('arn:') || !id.includes('|')) return null;
    const { domainName, name } = parseEventStreamIdentifier(argument, id);
    return eventStreamIdentity(scope, config.aws.defaultRegion, domainName, name);
  },
  resolve: (ctx, identity, _id, info) => eventStreamLoader(ctx, info).load(identity),
  cost: eventStreamNodeForm.cost,
};
