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
