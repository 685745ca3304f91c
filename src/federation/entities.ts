import type { GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context.js';
import { notFound } from '../errors.js';

type Representation = Record<string, unknown>;

/** `<Type> <key values>`: the representation's type and key values, for its NOT_FOUND message. */
function describe(representation: Representation): string {
  const { __typename, ...keys } = representation;
  const values = Object.values(keys).filter((v) => typeof v === 'string' || typeof v === 'number');
  return [String(__typename), ...values.map(String)].join(' ');
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * `_entities` as a router needs it, around @apollo/subgraph's own resolver:
 *
 * - each representation settles on its own: one the preflight refused (hostile, not an entity's, past MAX_ENTITIES)
 *   is null with its error at `_entities.<i>`, without being resolved; one whose resolution fails is null with that
 *   error; the others answer. (@apollo/subgraph maps the whole list at once, so one throw would null it all.)
 * - a missing entity is null with NOT_FOUND at its index. `node`/`nodes` keep Relay's null without an error, but a
 *   router has asked for a key another subgraph handed out: a silent null becomes a non-null violation there, which
 *   Hive Gateway masks as "Unexpected error.", and the reason is lost.
 *
 * Each representation is passed to the original resolver alone, in the same tick, so the loaders still batch them.
 */
export function applyEntityRefusals(schema: GraphQLSchema): void {
  const query = schema.getQueryType();
  const field = query?.getFields()._entities;
  const resolve = field?.resolve;
  if (!field || !resolve) return;
  field.resolve = (source, args: { representations: Representation[] }, ctx: GatewayContext, info) => {
    const refused = ctx.preflight?.refusedEntities?.get(String(info.path.key));
    return args.representations.map((representation, i) => {
      const error = refused?.get(i);
      if (error) return error;
      try {
        const [result] = resolve(source, { representations: [representation] }, ctx, info) as unknown[];
        return Promise.resolve(result).then((entity) => entity ?? notFound(describe(representation)), asError);
      } catch (error) {
        return asError(error);
      }
    });
  };
}
