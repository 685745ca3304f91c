import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLSchema } from 'graphql';
import type { ModuleCatalog } from './catalog.js';
import { applyEntityRefusals } from './federation/entities.js';
import { applyFieldRefusals } from './preflight/refusals.js';

/** What `buildSubgraphSchema` takes: one `{ typeDefs, resolvers }` per module. */
type SchemaModules = Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>;

/**
 * One executable schema that is both a plain GraphQL API and a Federation 2 subgraph (`_service`, `_entities`),
 * from each module's SDL and resolvers as they are: plain clients never see the difference. Root fields answer the
 * preflight's per-field refusals, and `_entities` settles each representation on its own.
 */
export function buildSchema(catalog: ModuleCatalog): GraphQLSchema {
  const schemaModules = catalog.modules.map((m) => ({
    typeDefs: m.typeDefs,
    // Typed per module by the generated `Resolvers`; buildSubgraphSchema's own map type is looser.
    resolvers: m.resolvers as SchemaModules[number] extends { resolvers?: infer R } ? R : never,
  }));
  const schema = buildSubgraphSchema(schemaModules as SchemaModules);
  // _entities first: the root-field wrapper then goes around it like around every other root field.
  applyEntityRefusals(schema);
  applyFieldRefusals(schema);
  return schema;
}
