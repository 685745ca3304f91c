import { randomUUID } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import { AwsCallLedger, type AwsCaller } from './aws/call.js';
import type { ClientRegistry } from './aws/clients.js';
import type { GatewayError } from './errors.js';
import type { ResourceCache } from './cache/resource-cache.js';
import type { Config } from './config.js';
import type { Metrics } from './metrics.js';
import type { AccountScope } from './resource/identity.js';
import type { AccountDirectory } from './aws/account.js';
import type { CacheInvalidator } from './cache/invalidation.js';
import type { ResponseStore } from './cache/response-cache.js';
import type { WriteJournal } from './write-journal.js';
import type { AuditRecord } from './writes.js';
import type { Caller } from './security/auth.js';
import type { GatewayCredentials } from './aws/credentials.js';
import type { FirstPageMemo } from './planner.js';

/** Process-wide parts, created once at start-up and shared by every request. */
export interface GatewayServices {
  config: Config;
  clients: ClientRegistry;
  aws: AwsCaller;
  cache: ResourceCache;
  metrics: Metrics;
  accounts: AccountDirectory;
  /** The whole-response cache's store, when it is on. */
  responses?: ResponseStore;
  /** What writes call so that no cache, on any replica, serves the old state (cache/invalidation.ts). */
  invalidator: CacheInvalidator;
  /** Writes sent and never answered, so that their repeats are told apart from conflicts (write-journal.ts). */
  writeJournal: WriteJournal;
  /** The gateway's own AWS credentials and whether they have resolved (readiness). */
  credentials: GatewayCredentials;
  /** Which ids lists' first pages held, steering call plans (planner.ts). */
  firstPages: FirstPageMemo;
}

/** Who sent the operation, as audit lines name them, and whether they hold the write grant (security/auth.ts). */
export interface Writer {
  id: string;
  mayWrite: boolean;
}

/** What loaders need: the shared parts plus this request's ledger of AWS calls and its account scope. */
export interface LoaderDeps extends GatewayServices {
  ledger: AwsCallLedger;
  /** The caller asked for fresh data (`Cache-Control: no-cache`): skip cache reads, still refresh the cache. */
  cacheBypass: boolean;
  /** The account resources named without an ARN live in; an error when the gateway could not learn it. */
  scope: AccountScope | GatewayError;
}

/** Decisions the preflight made for this operation that resolvers act on (see preflight/). */
export interface PreflightNotes {
  /** AWS calls each item of a root connection may cost, by response key: reserved when its page arrives. */
  itemCosts: ReadonlyMap<string, number>;
  /** Root fields refused for their arguments, by response key: each answers null with its error, at no AWS call. */
  refusedFields?: ReadonlyMap<string, Error>;
  /** Entity representations refused on their own, by `_entities` response key and index. */
  refusedEntities?: ReadonlyMap<string, ReadonlyMap<number, Error>>;
}

export interface GatewayContext extends LoaderDeps {
  requestId: string;
  /** Who sent the operation (authenticated, or by client address); null outside HTTP. */
  caller: Caller | null;
  /** `Cache-Control: no-cache` was sent but not honoured: the caller is past its no-cache quota. */
  cacheBypassLimited: boolean;
  preflight?: PreflightNotes;
  writer: Writer;
  /** One record per mutation field run, for the audit log lines (http/audit-log.ts). */
  readonly audit: AuditRecord[];
  /** Per-request state of modules (their loaders), created on first use: see `perRequest`. */
  readonly state: Map<symbol, unknown>;
  /** Errors reported beside data (a list's failed scopes): appended to the response (partial-errors.ts). */
  readonly partialErrors: GraphQLError[];
}

/**
 * A fresh context per GraphQL request. Loaders are per request by design: DataLoader's memo would otherwise hand
 * one caller's results (and errors) to another and grow without bound. Modules create theirs lazily (`perRequest`),
 * so an operation pays only for the loaders it uses.
 */
export async function createContext(
  services: GatewayServices,
  options: {
    requestId?: string;
    cacheBypass?: boolean;
    writer?: Writer;
    /** The caller asked for fresh data beyond its no-cache quota: the caches answer. */
    cacheBypassLimited?: boolean;
    caller?: Caller | null;
    /** The caller's key for quotas and breakers (rateLimitKey); '' outside HTTP. */
    callerKey?: string;
  } = {},
): Promise<GatewayContext> {
  // A write another replica answered a moment ago is seen here even before its announcement arrives.
  await services.invalidator.catchUp();
  const scope = await services.accounts.defaultScope();
  // One literal with every member named, not `{ ...services, ... }`: on Node 20's V8 a spread followed by more
  // properties gives each context a hidden class of its own (slow to build, every read of it megamorphic;
  // test/unit/object-shapes.test.ts). `preflight` is declared up front so that setting it later keeps the shape.
  // `Complete` makes leaving a member of GatewayServices out a type error.
  const context: Complete<GatewayContext> = {
    config: services.config,
    clients: services.clients,
    aws: services.aws,
    cache: services.cache,
    metrics: services.metrics,
    accounts: services.accounts,
    responses: services.responses,
    invalidator: services.invalidator,
    writeJournal: services.writeJournal,
    credentials: services.credentials,
    firstPages: services.firstPages,
    ledger: new AwsCallLedger(options.callerKey ?? ''),
    cacheBypass: options.cacheBypass ?? false,
    cacheBypassLimited: options.cacheBypassLimited ?? false,
    scope,
    requestId: options.requestId ?? randomUUID(),
    writer: options.writer ?? { id: 'unknown', mayWrite: false },
    audit: [],
    caller: options.caller ?? null,
    state: new Map(),
    partialErrors: [],
    preflight: undefined,
  };
  return context;
}

/** Every member of T present, the optional ones too (with `undefined` allowed). */
type Complete<T> = { [K in keyof Required<T>]: T[K] };

/** A per-request value of a module (its loaders), created from the request's deps the first time it is asked for. */
export function perRequest<T>(create: (deps: LoaderDeps) => T): (ctx: GatewayContext) => T {
  const key = Symbol(create.name);
  return (ctx) => {
    let value = ctx.state.get(key) as T | undefined;
    if (value === undefined) {
      value = create(ctx);
      ctx.state.set(key, value);
    }
    return value;
  };
}

/** The request's account scope, or the error that explains why the gateway does not know its account. */
export function scopeOf(deps: LoaderDeps): AccountScope {
  if ('accountId' in deps.scope) return deps.scope;
  throw deps.scope;
}

/** The request's account scope when the gateway knows it. */
export function knownScope(deps: LoaderDeps): AccountScope | undefined {
  return 'accountId' in deps.scope ? deps.scope : undefined;
}

/**
 * What argument rules take to check account ids at run time: the request's account scope, or the error that
 * explains why it is unknown (a list of the own account, or an account that may be it, fails with it).
 */
export function ownAccount(deps: LoaderDeps): AccountScope | GatewayError {
  return deps.scope;
}
