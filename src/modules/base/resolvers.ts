import type { Resolvers } from '../../generated/graphql.js';
import { resolveNodeId } from '../../node-ids.js';
import type { NodeForm } from '../../service-module.js';
import { DateTimeScalar, LongScalar } from './scalars.js';

type QueryResolvers = NonNullable<Resolvers['Query']>;

/** `node` and `nodes` (and the same lookups as `awsResource`, `awsResources`) over every module's node forms. */
export const createResolvers = (forms: readonly NodeForm[]): Resolvers => {
  const one: QueryResolvers['node'] = (_parent, args, ctx, info) => resolveNodeId(ctx, forms, 'id', args.id, info);
  // Each id settles on its own: one bad or failing id nulls its own entry and adds one error.
  const many: QueryResolvers['nodes'] = (_parent, args, ctx, info) =>
    args.ids.map((id, i) =>
      resolveNodeId(ctx, forms, `ids[${i}]`, id, info).catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      ),
    ) as never;
  return {
    DateTime: DateTimeScalar,
    Long: LongScalar,
    Node: {
      // Every model carries its GraphQL type name (NodeModel.kind); the modules' models are the only Node models.
      __resolveType: (node) => node.kind as never,
    },
    Query: { node: one, nodes: many, awsResource: one, awsResources: many },
  };
};
