import type { DocumentNode, GraphQLResolveInfo } from 'graphql';
import type { AwsServiceDefinition } from './aws/clients.js';
import type { CacheStates } from './cache/ttl-policy.js';
import type { Config } from './config.js';
import type { GatewayContext } from './context.js';
import type { Arn } from './resource/arn.js';
import type { AccountScope, ResourceIdentity } from './resource/identity.js';

/**
 * What the rest of the gateway may know of one AWS service: a module folder exports one of these from its
 * `index.ts`, and `src/modules/index.ts` lists them. Every mechanism (schema assembly, preflight, cache lifetimes,
 * SDK clients, `node(id)`, the playground, the IAM policy test) iterates over the modules instead of naming a
 * service, so a new service is one schema file, one folder and one line in the list.
 */
export interface ServiceModule {
  /** The folder's name, e.g. `customer-profiles`. */
  readonly name: string;
  /** `schema/<name>.graphql`, parsed: the module's part of the contract. */
  readonly typeDefs: DocumentNode;
  /** Resolvers of the module's types, typed by the generated `Resolvers` (no index signature: typos fail). */
  readonly resolvers: object;
  /** The AWS services the module calls, with their SDK client and the IAM actions it needs. */
  readonly awsServices: readonly AwsServiceDefinition[];
  /**
   * Argument rules of root fields, by `Query.<field>` or `Mutation.<field>`: AWS's input constraints, checked before
   * any AWS call. The resolvers call the same functions, for paths the preflight does not see.
   */
  readonly argumentRules: Readonly<Record<string, ArgumentRule>>;
  /**
   * AWS calls a field can cost, by `<Type>.<field>`, from the plans the module's loaders execute; a mutation is a
   * `lookup` of the calls its write can make.
   */
  readonly costs: Readonly<Record<string, FieldCost>>;
  /**
   * Per GraphQL type: whether a selection asks for a member that list summaries lack, so that every item that came
   * from a list page costs one more call (a Get or Describe). `has('destination.message')` tests a selected path.
   */
  readonly summaryGaps: Readonly<Record<string, (has: (path: string) => boolean) => boolean>>;
  /** How long each state of each of the module's types stays true, by GraphQL type name. */
  readonly cacheStates: Readonly<Record<string, CacheStates>>;
  /** The ids (ARNs, bare ids) of the module's resources that `node`, `nodes` and `_entities` accept. */
  readonly nodeForms: readonly NodeForm[];
  /** Playground tabs, in order. */
  readonly examples: readonly PlaygroundExample[];
}

/**
 * Checks a field's arguments against AWS's constraints; throws BAD_USER_INPUT naming the argument. `scope` is the
 * gateway's own account when known (the accounts a list may name are it and AWS_ACCOUNTS').
 */
export type ArgumentRule = (config: Config, args: never, scope?: AccountScope) => unknown;

/**
 * The cost of one field, per parent object:
 * - `lookup`: one resource by key, at most `calls` AWS calls;
 * - `connection`: a paginated root list, at most `pages` list calls; its items come in `items` completeness;
 * - `list`: a nested list of at most `size` items, `calls` calls per parent;
 * - `ids`: one lookup per distinct id of the `argument` list, grouped by the modules' plans (`node`, `nodes`,
 *   `_entities`); with `entities`, the items are entity representations, each screened on its own and counted by
 *   distinct key against MAX_ENTITIES.
 */
export type FieldCost =
  | { readonly kind: 'lookup'; readonly calls: number }
  | {
      readonly kind: 'connection';
      readonly pages: number;
      readonly items: Completeness;
      /**
       * The list calls of a list over many scopes (accounts × regions, domains), from its arguments: at most
       * `bound`, and `floor` whatever the data (each scope's first page). Without it, `pages` both.
       */
      readonly pagesOf?: (args: Record<string, unknown>, at: ScopeCountContext) => { bound: number; floor: number };
    }
  | { readonly kind: 'list'; readonly calls: number; readonly size: number; readonly items: Completeness }
  | { readonly kind: 'ids'; readonly argument: string; readonly entities?: boolean };

/** Whether objects are complete (from a Get or Describe) or list summaries. */
export type Completeness = 'full' | 'summary';

export interface NodeForm {
  /** The GraphQL type it resolves to, also the `__typename` of entity representations. */
  readonly typeName: string;
  /**
   * The identity an id names, when the id is of this form (an ARN of the module's service and resource type, or a
   * bare id); null when it is not. Throws BAD_USER_INPUT when the id is of this form but breaks AWS's constraints.
   * `at.scope` is the gateway's own account, for ids that do not carry one; `at.argument` names the id in errors.
   */
  parse(id: string, at: NodeIdContext): ResourceIdentity | null;
  /** The resource, or null when it does not exist. `id` is the caller's id, which the answer must match. */
  resolve(
    ctx: GatewayContext,
    identity: ResourceIdentity,
    id: string,
    info: GraphQLResolveInfo,
  ): Promise<NodeModel | null>;
  /**
   * At most how many AWS calls looking up these identities costs (empty cache), by the same plan `resolve`'s
   * loader executes; `detailed` when the selection needs members list summaries lack.
   */
  cost(identities: readonly ResourceIdentity[], detailed: boolean): number;
}

/** What counting a list's scopes needs: the settings and the gateway's own account. */
export interface ScopeCountContext {
  readonly config: Config;
  readonly scope: AccountScope;
}

export interface NodeIdContext {
  readonly argument: string;
  /** For a federated entity representation, the key field the id came from (`eventId`, `arn`). */
  readonly entityKey?: string;
  /** The id parsed as a generic ARN, or null when it is not one. */
  readonly arn: Arn | null;
  readonly scope: AccountScope;
  readonly config: Config;
}

/** Every model a resolver returns for a `Node` carries its GraphQL type name. */
export interface NodeModel {
  readonly kind: string;
}

/** One GraphiQL tab the playground opens with. */
export interface PlaygroundExample {
  readonly query: string;
  /** JSON text, as GraphiQL's variables editor holds it. */
  readonly variables?: string;
}
