import { buildSubgraphSchema } from '@apollo/subgraph';
import { type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema, Kind, parse, print, visit } from 'graphql';
import { modules } from '../../src/modules/index.js';
import { type RunningServer, serveApollo } from '../lib/http-stack.js';

/**
 * The ceiling: Apollo Server on the gateway's HTTP stack, with the same schema, answering each benchmark operation
 * with the data the gateway returned for it, held in memory. Requests still go through parsing, validation and full
 * execution (every field resolved, every value serialised); only fetching is gone. So the gap between the gateway's
 * warm cache and this is what the gateway's loaders and cache cost, nothing else.
 */

export interface CeilingResponse {
  /** The operation as the benchmark sends it. */
  query: string;
  /** The gateway's `data` for `typedQuery(query)`: every object carries `__typename` for abstract types. */
  data: Record<string, unknown>;
}

/**
 * The operation with `__typename` added to every selection below the root, so the stored data says which type each
 * `Node` or `_Entity` value is (graphql-js's default type resolver reads it). The ceiling executes the original
 * operation, so the extra field never reaches its responses.
 */
export function typedQuery(query: string): string {
  const typed = visit(parse(query), {
    SelectionSet(node, _key, parent) {
      if (parent && !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.OPERATION_DEFINITION)
        return undefined;
      if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias))
        return undefined;
      return {
        ...node,
        selections: [...node.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }],
      };
    },
  });
  return print(typed);
}

const normalise = (query: string) => print(parse(query));

/** Every field reads its value by response key (alias or name) from the stored data. */
const byResponseKey: GraphQLFieldResolver<Record<string, unknown> | null, unknown> = (source, _args, _ctx, info) =>
  source === null || source === undefined ? null : source[info.path.key as string];

export function ceilingSchema(): GraphQLSchema {
  const schema = buildSubgraphSchema(modules.map((m) => ({ typeDefs: m.typeDefs })));
  // `_entities` has its own resolver (it calls __resolveReference); the ceiling answers it from memory like any field.
  const entities = schema.getQueryType()?.getFields()._entities;
  if (entities) entities.resolve = byResponseKey as GraphQLFieldResolver<unknown, unknown>;
  return schema;
}

export async function startCeiling(
  responses: readonly CeilingResponse[],
  listen: { host?: string; port?: number } = {},
): Promise<RunningServer> {
  const byQuery = new Map<string, Record<string, unknown>>();
  for (const r of responses) byQuery.set(normalise(r.query), r.data);
  // Apollo Server reuses one parsed document per distinct query text, so each document is looked up once.
  const rootByDocument = new WeakMap<DocumentNode, Record<string, unknown> | null>();
  const rootValue = (document: DocumentNode) => {
    let root = rootByDocument.get(document);
    if (root === undefined) {
      root = byQuery.get(print(document)) ?? null;
      rootByDocument.set(document, root);
    }
    return root;
  };
  return serveApollo(
    { schema: ceilingSchema(), introspection: false, rootValue, fieldResolver: byResponseKey },
    async () => ({}),
    listen,
  );
}
