import type { GatewayContext } from './context.js';
import { type AwsCallSite, GatewayError, isNotFound } from './errors.js';
import { type ResourceIdentity, identityKey } from './resource/identity.js';

/*
 * What every mutation shares, whatever the service: the write grant (checked before any AWS call), sending a write
 * once or with retries only when repeating it is harmless, invalidating every cache that could hold the old state,
 * and the audit record of the mutation (one log line each, http/audit-log.ts).
 */

/** One mutation field's audit record. Never holds tag values, inputs or anything secret. */
export interface AuditRecord {
  /** The mutation field, as the schema names it. */
  operation: string;
  /** The ARN of the resource written (or that would have been), null when the input named none. */
  resource: string | null;
  /** `ok`, or the error code the mutation ended with. */
  outcome: string;
  /** The request ids AWS gave the write calls (found in CloudTrail). */
  awsRequestIds: string[];
  /** Facts about how it went: a create found done already, tag keys set and removed, a cache not invalidated. */
  detail: Record<string, unknown>;
}

/**
 * How a write may be sent:
 * - `once`: a single attempt, never retried (a create: a retry after a lost answer would find its own resource);
 * - `repeatable`: with the SDK's retries, because doing it twice leaves what doing it once does (setting tags);
 * - `delete`: with the SDK's retries (AWS marks deletes idempotent); a NOT_FOUND that answers a retry means an
 *   earlier attempt of this call deleted the resource, so it resolves `undefined` instead of failing.
 */
export type WriteMode = 'once' | 'repeatable' | 'delete';

export interface WriteScope {
  readonly record: AuditRecord;
  /**
   * Sends one write call through the AWS caller (budget, deadline, breaker, error mapping, metrics), on a client
   * that makes as many attempts as `mode` allows; `client` is the service's SDK client, whose class the module knows.
   * A `once` call that was sent and then timed out or lost its connection is journalled (write-journal.ts).
   */
  send<C, T>(site: AwsCallSite, mode: WriteMode, call: (client: C, abortSignal: AbortSignal) => Promise<T>): Promise<T>;
  /**
   * Whether an earlier attempt of this very write (same target, same fingerprint) was sent and never answered: a
   * create that finds its resource is then that attempt's success, not a conflict.
   */
  repeatsUnanswered(): Promise<boolean>;
}

/** What a mutation writes: the resource's ARN (for the audit line), its identity, and the lists that may hold it. */
export interface WriteTarget {
  resource: string;
  written: readonly ResourceIdentity[];
  /** `listGroup`s of the lists the resource is (or would be) in: a creation or deletion changes them. */
  lists: readonly ResourceIdentity[];
  /** What makes a repeat the same write (a create's destination, its dataset group), for `repeatsUnanswered`. */
  fingerprint?: string;
}

/** Outcomes after which AWS may or may not have done a write that was sent. */
const UNANSWERED = new Set(['UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE', 'INTERNAL_SERVER_ERROR']);

export function forbiddenToWrite(): GatewayError {
  return new GatewayError(
    'This caller may not write: mutations need the write grant (WRITE_API_KEYS, or a JWT with JWT_WRITE_SCOPE).',
    'FORBIDDEN',
    { reason: 'write grant' },
  );
}

export function conflict(what: string, extensions: Record<string, unknown> = {}): GatewayError {
  return new GatewayError(`${what}.`, 'CONFLICT', extensions);
}

function requestIdOf(value: unknown): string | undefined {
  const id = (value as { $metadata?: { requestId?: unknown } } | undefined)?.$metadata?.requestId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * Runs one mutation field: refuses it (FORBIDDEN, no AWS call) without the write grant, records its audit line
 * with its outcome whether it succeeds or fails, and, once any write call was sent (whatever its outcome: a call
 * that timed out may still have been done), invalidates every cache that may hold the target's old state, on every
 * replica, before the mutation answers. Mutation fields run one after the other (GraphQL executes a mutation's
 * root fields serially), so a write's calls are the only ones of its operation while it runs.
 */
export async function runWrite<T>(
  ctx: GatewayContext,
  operation: string,
  target: WriteTarget,
  body: (write: WriteScope) => Promise<T>,
): Promise<T> {
  const record: AuditRecord = {
    operation,
    resource: target.resource,
    outcome: 'pending',
    awsRequestIds: [],
    detail: {},
  };
  let sent = false;
  const journalKey = `${operation}:${target.written.map(identityKey).join(',')}`;
  const fingerprint = target.fingerprint ?? '';
  ctx.audit.push(record);
  if (!ctx.writer.mayWrite) {
    record.outcome = 'FORBIDDEN';
    throw forbiddenToWrite();
  }
  const scope: WriteScope = {
    record,
    async send<C, T>(
      site: AwsCallSite,
      mode: WriteMode,
      call: (client: C, abortSignal: AbortSignal) => Promise<T>,
    ): Promise<T> {
      const maxAttempts = mode === 'once' ? 1 : undefined;
      // The module's own client class, as its loaders use it (the registry holds them untyped).
      const client = ctx.clients.get(site.service, site.region, {
        maxAttempts,
        accountId: site.accountId,
      }) as unknown as C;
      const retriesBefore = ctx.ledger.retries;
      const attemptsBefore = ctx.ledger.total;
      sent = true;
      try {
        const out = await ctx.aws.call(site, ctx.ledger, (abortSignal) => call(client, abortSignal), { maxAttempts });
        const id = requestIdOf(out);
        if (id) record.awsRequestIds.push(id);
        return out;
      } catch (error) {
        const id = error instanceof GatewayError ? error.extensions.awsRequestId : undefined;
        if (typeof id === 'string') record.awsRequestIds.push(id);
        if (mode === 'delete' && isNotFound(error) && ctx.ledger.retries > retriesBefore) {
          record.detail.goneOnRetry = true;
          return undefined as T;
        }
        const code = error instanceof GatewayError ? String(error.extensions.code) : 'INTERNAL_SERVER_ERROR';
        if (mode === 'once' && ctx.ledger.total > attemptsBefore && UNANSWERED.has(code)) {
          record.detail.outcomeUnknown = true;
          await ctx.writeJournal.remember(journalKey, fingerprint);
        }
        throw error;
      }
    },
    repeatsUnanswered: () => ctx.writeJournal.recall(journalKey, fingerprint),
  };
  try {
    const result = await body(scope);
    record.outcome = 'ok';
    return result;
  } catch (error) {
    record.outcome = error instanceof GatewayError ? String(error.extensions.code) : 'INTERNAL_SERVER_ERROR';
    throw error;
  } finally {
    if (sent) {
      const { complete } = await ctx.invalidator.invalidate(target.written, target.lists);
      // The write stands; the audit line says that some replica may serve the old state until its cache expires.
      if (!complete) record.detail.cacheInvalidation = 'incomplete';
    }
  }
}
