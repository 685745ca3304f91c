import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import { badUserInput } from './errors.js';
import { check } from './validation.js';

export interface EdgeModel<T> {
  cursor: string;
  node: T;
}

export interface ConnectionModel<T> {
  edges: EdgeModel<T>[];
  nodes: T[];
  /** Relay's full PageInfo, which subgraphs with Relay connections share in a supergraph. */
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export interface AwsPage<T> {
  items: T[];
  nextToken?: string;
}

/**
 * A position in an AWS list: the token of the AWS page it lies in (none = first page) and how many items of that
 * page come before it. AWS tokens only mark page starts; the skip count lets every edge carry a cursor.
 */
interface Position {
  token?: string;
  skip: number;
}

interface CursorPayload {
  /** Which list (a hash of the list's arguments): an AWS token is only valid for the query that produced it. */
  l: string;
  t?: string;
  s: number;
}

export function listKey(...parts: Array<string | null | undefined>): string {
  return createHash('sha256')
    .update(parts.map((p) => p ?? '').join('\u0000'))
    .digest('base64url')
    .slice(0, 12);
}

/*
 * Cursors are signed: base64url(tag || payload), the tag the first 16 bytes of HMAC-SHA256(key, payload). A cursor
 * the gateway did not issue (forged, tampered with, or carrying a page token of someone else's choosing) is refused
 * before its payload is even parsed, so it never reaches AWS. The keys are the process's (CURSOR_SECRET, shared by
 * the replicas of a deployment; the first signs, all verify, for rotation): the modules' resolvers and argument
 * rules call `paginate` and `checkCursor` without a context to carry them, and one process runs one deployment.
 */
const TAG_BYTES = 16;
let cursorKeys: readonly Buffer[] = [randomBytes(32)];

/** The keys cursors are signed and verified with from now on (the gateway sets them when it starts). */
export function useCursorSecrets(secrets: readonly string[]): void {
  if (secrets.length === 0) throw new Error('useCursorSecrets: at least one key is needed');
  cursorKeys = secrets.map((secret) => Buffer.from(secret, 'utf8'));
}

function tagOf(key: Buffer, payload: Buffer): Buffer {
  return createHmac('sha256', key).update(payload).digest().subarray(0, TAG_BYTES);
}

function encodeCursor(list: string, position: Position): string {
  const payload: CursorPayload = {
    l: list,
    s: position.skip,
    ...(position.token !== undefined ? { t: position.token } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(payload));
  return Buffer.concat([tagOf(cursorKeys[0]!, bytes), bytes]).toString('base64url');
}

/** The payload of a cursor this gateway signed, or null. */
function verifiedPayload(cursor: string): Buffer | null {
  if (!/^[A-Za-z0-9_-]{1,8192}$/.test(cursor)) return null;
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.length <= TAG_BYTES) return null;
  const tag = bytes.subarray(0, TAG_BYTES);
  const payload = bytes.subarray(TAG_BYTES);
  // Every key is tried, so the time taken does not say which one matched.
  let valid = false;
  for (const key of cursorKeys) if (timingSafeEqual(tagOf(key, payload), tag)) valid = true;
  return valid ? payload : null;
}

function decodeCursor(argument: string, cursor: string, list: string, tokenRule: z.ZodType<string>): Position {
  let payload: Partial<CursorPayload>;
  try {
    const verified = verifiedPayload(cursor);
    if (!verified) throw new Error('not a cursor of this gateway');
    payload = JSON.parse(verified.toString('utf8')) as Partial<CursorPayload>;
  } catch {
    throw badUserInput(argument, 'must be a cursor returned by this connection');
  }
  if (payload.l !== list)
    throw badUserInput(argument, 'must be a cursor returned by this connection with the same arguments');
  if (typeof payload.s !== 'number' || !Number.isInteger(payload.s) || payload.s < 0 || payload.s > 100) {
    throw badUserInput(argument, 'must be a cursor returned by this connection');
  }
  if (payload.t !== undefined && typeof payload.t !== 'string')
    throw badUserInput(argument, 'must be a cursor returned by this connection');
  if (payload.t !== undefined) check(argument, tokenRule, payload.t);
  return { token: payload.t, skip: payload.s };
}

/** Checks an `after` cursor without using it: lets a whole operation be refused before any AWS call. */
export function checkCursor(
  argument: string,
  cursor: string | null | undefined,
  list: string,
  tokenRule: z.ZodType<string>,
): void {
  if (cursor !== null && cursor !== undefined) decodeCursor(argument, cursor, list, tokenRule);
}

/** Extra AWS pages `paginate` reads to fill `first` when AWS returns short pages. */
const DEFAULT_EXTRA_PAGES = 2;

/** At most how many list calls one connection costs: the preflight's estimate uses it, so it follows `paginate`. */
export const PAGINATE_MAX_PAGES = 1 + DEFAULT_EXTRA_PAGES;

export interface PaginateOptions<T> {
  list: string;
  first: number;
  after?: string | null;
  tokenRule: z.ZodType<string>;
  fetchPage: (token: string | undefined, maxResults: number) => Promise<AwsPage<T>>;
  /** Extra AWS pages we may fetch to fill `first` when AWS returns short pages. */
  maxExtraPages?: number;
}

/**
 * Relay connection over an AWS token-paginated list. The cursor is validated before any AWS call; then usually
 * one AWS page answers the request (more only when AWS returns short pages, bounded by `maxExtraPages`).
 */
export async function paginate<T>(opts: PaginateOptions<T>): Promise<ConnectionModel<T>> {
  let position: Position = opts.after ? decodeCursor('after', opts.after, opts.list, opts.tokenRule) : { skip: 0 };
  // Forward pagination: items come before this page when it does not start the list.
  const hasPreviousPage = position.token !== undefined || position.skip > 0;
  const edges: EdgeModel<T>[] = [];
  let extraPages = opts.maxExtraPages ?? DEFAULT_EXTRA_PAGES;
  let hasNextPage: boolean;

  for (;;) {
    const wanted = opts.first - edges.length;
    const page = await opts.fetchPage(position.token, Math.min(100, position.skip + wanted));
    const items = page.items.slice(position.skip);
    const taken = items.slice(0, wanted);
    taken.forEach((node, i) => {
      const index = position.skip + i + 1;
      // The last item of an AWS page resumes at the next page's token: no re-read of this page.
      const at: Position =
        index >= page.items.length && page.nextToken !== undefined
          ? { token: page.nextToken, skip: 0 }
          : { token: position.token, skip: index };
      edges.push({ node, cursor: encodeCursor(opts.list, at) });
    });
    if (items.length > taken.length) {
      hasNextPage = true;
      position = { token: position.token, skip: position.skip + taken.length };
      break;
    }
    if (page.nextToken === undefined) {
      hasNextPage = false;
      break;
    }
    position = { token: page.nextToken, skip: 0 };
    if (edges.length >= opts.first || extraPages-- <= 0) {
      hasNextPage = true;
      break;
    }
  }
  const endCursor = edges.at(-1)?.cursor ?? (hasNextPage ? encodeCursor(opts.list, position) : (opts.after ?? null));
  const startCursor = edges[0]?.cursor ?? null;
  return { edges, nodes: edges.map((e) => e.node), pageInfo: { hasNextPage, hasPreviousPage, startCursor, endCursor } };
}

/** A scope's place in a multi-scope list: scopes before `k` are done, `k` resumes at (t, s), later ones start. */
interface ScopedCursorPayload {
  l: string;
  k: string;
  t?: string;
  s: number;
}

function encodeScopedCursor(list: string, key: string, position: Position): string {
  const payload: ScopedCursorPayload = {
    l: list,
    k: key,
    s: position.skip,
    ...(position.token !== undefined ? { t: position.token } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(payload));
  return Buffer.concat([tagOf(cursorKeys[0]!, bytes), bytes]).toString('base64url');
}

function decodeScopedCursor(
  argument: string,
  cursor: string,
  list: string,
  tokenRule: z.ZodType<string>,
): { key: string; position: Position } {
  let payload: Partial<ScopedCursorPayload>;
  try {
    const verified = verifiedPayload(cursor);
    if (!verified) throw new Error('not a cursor of this gateway');
    payload = JSON.parse(verified.toString('utf8')) as Partial<ScopedCursorPayload>;
  } catch {
    throw badUserInput(argument, 'must be a cursor returned by this connection');
  }
  if (payload.l !== list)
    throw badUserInput(argument, 'must be a cursor returned by this connection with the same arguments');
  const { s, t, k } = payload;
  if (typeof k !== 'string' || k.length > 512 || typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s > 100)
    throw badUserInput(argument, 'must be a cursor returned by this connection');
  if (t !== undefined && typeof t !== 'string')
    throw badUserInput(argument, 'must be a cursor returned by this connection');
  if (t !== undefined) check(argument, tokenRule, t);
  return { key: k, position: { token: t, skip: s } };
}

/** Checks an `after` cursor of a multi-scope connection without using it (see `checkCursor`). */
export function checkScopedCursor(
  argument: string,
  cursor: string | null | undefined,
  list: string,
  tokenRule: z.ZodType<string>,
): void {
  if (cursor !== null && cursor !== undefined) decodeScopedCursor(argument, cursor, list, tokenRule);
}

export interface PaginateScopesOptions<S, T> {
  /** Which list (listKey of its arguments, scopes included). */
  list: string;
  first: number;
  after?: string | null;
  tokenRule: z.ZodType<string>;
  /** Where to read; answered in the order of their keys. */
  scopes: readonly S[];
  keyOf(scope: S): string;
  fetchPage(scope: S, token: string | undefined, maxResults: number): Promise<AwsPage<T>>;
  /** What AWS cannot filter: only matching items are edges, and pages are read on (bounded) to find `first`. */
  filter?(item: T): boolean;
  /** A scope failed: its error is reported beside the other scopes' items. */
  onError(scope: S, error: unknown): void;
  /** AWS pages read per scope per connection page (default PAGINATE_MAX_PAGES). */
  maxPagesPerScope?: number;
  /**
   * AWS's page size, when it must not follow `first`: a list whose pages other fields read too (a scope's domains)
   * asks for the same pages, so that one call answers both.
   */
  pageSize?: number;
}

interface ScopeRead<T> {
  found: Array<{ node: T; after: Position }>;
  /** Where the scope resumes after what was read; null when it has no more items. */
  next: Position | null;
  failed: boolean;
}

/**
 * A Relay connection over many scopes (accounts × regions, domains, ...), each an AWS token-paginated list. Scopes
 * are read in parallel, each from where the cursor left it, for up to `first` (matching) items and at most
 * `maxPagesPerScope` pages, so a page costs at most scopes × pages calls and takes as long as its slowest scope, not
 * their sum. Items are answered scope by scope, in key order, and each edge's cursor names its scope and its place
 * there: scopes before it are done, later ones start from the beginning (their pages, read ahead, are in the
 * list cache). A scope that fails is reported (`onError`) and passed over: the others still answer. A scope whose
 * page bound ends before it has `first` matching items ends the page there (`hasNextPage`), so that its cursor
 * resumes it where it stopped.
 */
export async function paginateScopes<S, T>(opts: PaginateScopesOptions<S, T>): Promise<ConnectionModel<T>> {
  const ordered = [...opts.scopes].sort((a, b) => compareKeys(opts.keyOf(a), opts.keyOf(b)));
  const start = opts.after ? decodeScopedCursor('after', opts.after, opts.list, opts.tokenRule) : null;
  const from = start ? ordered.findIndex((s) => compareKeys(opts.keyOf(s), start.key) >= 0) : 0;
  const active = from === -1 ? [] : ordered.slice(from);
  const positionOf = (scope: S): Position =>
    start && opts.keyOf(scope) === start.key ? start.position : { token: undefined, skip: 0 };
  const hasPreviousPage = start !== null && (from > 0 || start.position.token !== undefined || start.position.skip > 0);
  const maxPages = opts.maxPagesPerScope ?? PAGINATE_MAX_PAGES;

  const reads = await Promise.all(active.map((scope) => readScope(opts, scope, positionOf(scope), maxPages)));

  const edges: EdgeModel<T>[] = [];
  let hasNextPage = false;
  let resume: { key: string; position: Position } | null = null;
  for (const [i, read] of reads.entries()) {
    const scope = active[i] as S;
    const key = opts.keyOf(scope);
    if (edges.length >= opts.first) {
      // Read ahead: this scope has items (or more pages) for a later page.
      if (read.found.length > 0 || read.next) hasNextPage = true;
      if (hasNextPage) break;
      continue;
    }
    const wanted = opts.first - edges.length;
    const taken = read.found.slice(0, wanted);
    for (const item of taken) edges.push({ node: item.node, cursor: encodeScopedCursor(opts.list, key, item.after) });
    if (read.found.length > taken.length) {
      hasNextPage = true;
      break;
    }
    if (read.failed) continue;
    if (read.next && taken.length < opts.first && read.found.length < opts.first) {
      // Its page bound ended the read short of `first`: the page ends here, and resumes this scope.
      hasNextPage = true;
      resume = { key, position: read.next };
      break;
    }
    if (read.next) {
      hasNextPage = true;
      break;
    }
  }
  // A scope cut short by its page bound resumes where its reading stopped, past the items that did not match.
  const endCursor = resume
    ? encodeScopedCursor(opts.list, resume.key, resume.position)
    : (edges.at(-1)?.cursor ?? (hasNextPage ? null : (opts.after ?? null)));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor },
  };
}

/** Keys compare as strings: a scope that is gone (a deleted domain) resumes at the next one. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readScope<S, T>(
  opts: PaginateScopesOptions<S, T>,
  scope: S,
  from: Position,
  maxPages: number,
): Promise<ScopeRead<T>> {
  const found: ScopeRead<T>['found'] = [];
  let position = from;
  try {
    for (let pages = 0; ; pages++) {
      if (pages >= maxPages) return { found, next: position, failed: false };
      const wanted = opts.first - found.length;
      // Filtered lists read whole pages: how many of them match is not known in advance.
      const size = opts.pageSize ?? (opts.filter ? 100 : Math.min(100, position.skip + wanted));
      const page = await opts.fetchPage(scope, position.token, size);
      for (let index = position.skip; index < page.items.length; index++) {
        const node = page.items[index] as T;
        const last = index + 1 >= page.items.length;
        const after: Position =
          last && page.nextToken !== undefined
            ? { token: page.nextToken, skip: 0 }
            : { token: position.token, skip: index + 1 };
        if (opts.filter && !opts.filter(node)) continue;
        found.push({ node, after });
        if (found.length >= opts.first)
          return { found, next: last && page.nextToken === undefined ? null : after, failed: false };
      }
      if (page.nextToken === undefined) return { found, next: null, failed: false };
      position = { token: page.nextToken, skip: 0 };
    }
  } catch (error) {
    opts.onError(scope, error);
    return { found, next: null, failed: true };
  }
}
