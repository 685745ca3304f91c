import { parseArn } from '../../aws/arn.js';
import { badUserInput, isNotFound } from '../../aws/errors.js';
import type { GatewayContext } from '../../context.js';
import type { GraphQLResolveInfo } from 'graphql';
import type { Resolvers } from '../../generated/graphql.js';
import { Rules } from '../../validation.js';
import { eventStreamByArn } from '../customer-profiles/resolvers.js';
import { internetEventByArn, internetEventById } from '../internet-monitor/resolvers.js';
import type { InternetEventModel } from '../internet-monitor/mappers.js';
import type { EventStreamModel } from '../customer-profiles/mappers.js';
import type { DatasetGroupModel, EventTrackerModel } from '../personalize/mappers.js';
import { datasetGroupByArn, eventTrackerByArn } from '../personalize/resolvers.js';
import { hintFor } from '../../cache/hints.js';
import { DateTimeScalar, LongScalar } from './scalars.js';

type NodeModel = EventStreamModel | EventTrackerModel | DatasetGroupModel | InternetEventModel;

const UNKNOWN_ID = 'must be the ARN of an event stream, event tracker, dataset group or internet event, or an internet event id';

/**
 * Any id -> its resource, by the service named in the ARN. Misses are null without an error (Relay's `node`
 * contract); ids that cannot name any resource are BAD_USER_INPUT, decided before any AWS call.
 */
async function resolveNode(ctx: GatewayContext, argument: string, id: string, info: GraphQLResolveInfo): Promise<NodeModel | null> {
  if (typeof id !== 'string' || id.length > 2048) throw badUserInput(argument, UNKNOWN_ID);
  const arn = id.startsWith('arn:') ? parseArn(id) : null;
  let lookup: Promise<NodeModel | null>;
  if (arn?.service === 'profile') lookup = eventStreamByArn(ctx, argument, id, info);
  else if (arn?.service === 'personalize' && arn.resource.startsWith('event-tracker/')) lookup = eventTrackerByArn(ctx, argument, id, info);
  else if (arn?.service === 'personalize' && arn.resource.startsWith('dataset-group/')) lookup = datasetGroupByArn(ctx, argument, id);
  else if (arn?.service === 'internetmonitor') lookup = internetEventByArn(ctx, argument, id);
  else if (!id.startsWith('arn:') && Rules.internetEventId.safeParse(id).success) lookup = internetEventById(ctx, argument, id);
  else throw badUserInput(argument, UNKNOWN_ID);
  let node: NodeModel | null;
  try {
    node = await lookup;
  } catch (error) {
    if (!isNotFound(error)) throw error;
    node = null;
  }
  hintFor(ctx, info, [node]);
  return node;
}

export const baseResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Long: LongScalar,
  Node: {
    __resolveType: (node) => node.kind,
  },
  Query: {
    node: (_parent, args, ctx, info) => resolveNode(ctx, 'id', args.id, info),
    // Each id settles on its own: one bad or failing id nulls its own entry and adds one error.
    nodes: (_parent, args, ctx, info) =>
      args.ids.map((id, i) => resolveNode(ctx, `ids[${i}]`, id, info).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))) as never,
  },
};
