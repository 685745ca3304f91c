import { buildSubgraphSchema } from '@apollo/subgraph';
import { type DocumentNode, type GraphQLSchema, Kind, visit } from 'graphql';
import type { ModuleCatalog } from './catalog.js';
import { applyEntityRefusals } from './federation/entities.js';
import { applyFieldRefusals } from './preflight/refusals.js';

/** What `buildSubgraphSchema` takes: one `{ typeDefs, resolvers }` per module. */
type SchemaModules = Extract<Parameters<typeof buildSubgraphSchema>[0], readonly unknown[]>;

export interface SchemaOptions {
  /** Relay's `Query.node` and `Query.nodes` (RELAY_NODE_FIELDS); without them, `awsResource(s)` still answer. */
  relayNodeFields?: boolean;
  /**
   * Whether the SDL keeps the federation security directives (`@requiresScopes` on the mutations), which tell a
   * router that enforces them (Apollo Router, Hive Gateway) who may write. `@apollo/gateway` refuses a supergraph
   * with security features it cannot enforce; for it they are left out (FEDERATION_SECURITY_DIRECTIVES=false). The
   * subgraph enforces the write grant itself either way.
   */
  securityDirectives?: boolean;
}

const RELAY_NODE_FIELDS = new Set(['node', 'nodes']);

/** `typeDefs` without Relay's root fields, for a supergraph whose `node` belongs to another subgraph. */
function withoutRelayNodeFields(typeDefs: DocumentNode): DocumentNode {
  return {
    ...typeDefs,
    definitions: typeDefs.definitions.map((definition) =>
      (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) &&
      definition.name.value === 'Query'
        ? { ...definition, fields: definition.fields?.filter((f) => !RELAY_NODE_FIELDS.has(f.name.value)) }
        : definition,
    ),
  };
}

function withoutRelayNodeResolvers(resolvers: object): object {
  const { Query, ...rest } = resolvers as { Query?: Record<string, unknown> };
  if (!Query) return resolvers;
  return { ...rest, Query: Object.fromEntries(Object.entries(Query).filter(([name]) => !RELAY_NODE_FIELDS.has(name))) };
}

/**
 * One executable schema that is both a plain GraphQL API and a Federation 2 subgraph (`_service`, `_entities`),
 * from each module's SDL and resolvers as they are: plain clients never see the difference. Root fields answer the
 * preflight's per-field refusals, and `_entities` settles each representation on its own.
 */
export function buildSchema(catalog: ModuleCatalog, options: SchemaOptions = {}): GraphQLSchema {
  const relay = options.relayNodeFields ?? true;
  const securityDirectives = options.securityDirectives ?? true;
  const schemaModules = catalog.modules.map((m) => {
    const withRelay = relay ? m.typeDefs : withoutRelayNodeFields(m.typeDefs);
    return {
      typeDefs: securityDirectives ? withRelay : withoutSecurityDirectives(withRelay),
      // Typed per module by the generated `Resolvers`; buildSubgraphSchema's own map type is looser.
      resolvers: (relay ? m.resolvers : withoutRelayNodeResolvers(m.resolvers)) as SchemaModules[number] extends {
        resolvers?: infer R;
      }
        ? R
        : never,
    };
  });
  const schema = buildSubgraphSchema(schemaModules as SchemaModules);
  // _entities first: the root-field wrapper then goes around it like around every other root field.
  applyEntityRefusals(schema);
  applyFieldRefusals(schema);
  return schema;
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
