import { buildSubgraphSchema } from '@apollo/subgraph';
import { type DocumentNode, type GraphQLSchema, Kind, visit } from 'graphql';
import type { ModuleCatalog } from './catalog.js';

/** What `buildSubgraphSchema` takes: one `{ typeDefs, resolvers }` per module. */
type SchemaModules = Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>;

/**
 * One executable schema that is both a plain GraphQL API and a Federation 2 subgraph (`_service`, `_entities`),
 * from each module's SDL and resolvers as they are: plain clients never see the difference.
 */
export function buildSchema(catalog: ModuleCatalog, options: SchemaOptions = {}): GraphQLSchema {
  const securityDirectives = options.securityDirectives ?? true;
  const schemaModules = catalog.modules.map((m) => ({
    typeDefs: securityDirectives ? m.typeDefs : withoutSecurityDirectives(m.typeDefs),
    // Typed per module by the generated `Resolvers`; buildSubgraphSchema's own map type is looser.
    resolvers: m.resolvers as SchemaModules[number] extends { resolvers?: infer R } ? R : never,
  }));
  return buildSubgraphSchema(schemaModules as SchemaModules);
}

export interface SchemaOptions {
  /**
   * Whether the SDL keeps the federation security directives (`@requiresScopes` on the mutations), which tell a
   * router that enforces them (Apollo Router, Hive Gateway) who may write. `@apollo/gateway` refuses a supergraph
   * with security features it cannot enforce; for it they are left out (FEDERATION_SECURITY_DIRECTIVES=false). The
   * subgraph enforces the write grant itself either way.
   */
  securityDirectives?: boolean;
}

const SECURITY_DIRECTIVES = new Set(['requiresScopes', 'authenticated', 'policy']);

/** The SDL without the security directives: their uses, and their names in `@link(import:)`. */
export function withoutSecurityDirectives(typeDefs: DocumentNode): DocumentNode {
  return visit(typeDefs, {
    Directive: (node) => (SECURITY_DIRECTIVES.has(node.name.value) ? null : undefined),
    ListValue(node, _key, parent) {
      const argument = parent as { kind?: string; name?: { value: string } } | undefined;
      if (argument?.kind !== Kind.ARGUMENT || argument.name?.value !== 'import') return undefined;
      return {
        ...node,
        values: node.values.filter(
          (v) => !(v.kind === Kind.STRING && SECURITY_DIRECTIVES.has(v.value.replace(/^@/, ''))),
        ),
      };
    },
  });
}
