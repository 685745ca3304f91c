import { createHash } from 'node:crypto';

/**
 * Page size when a list call omits its max results. No AWS model documents a default for
 * ListEventStreams, ListEventTrackers or ListInternetEvents; all three cap MaxResults at 100, so
 * the emulator serves a full page of 100.
 */
export const DEFAULT_PAGE_SIZE = 100;

/** A token that was not issued for this query (garbage, tampered, or from another query). */
export class InvalidPageTokenError extends Error {
  constructor() {
    super('The pagination token is invalid or does not belong to this request.');
    this.name = 'InvalidPageTokenError';
  }
}

/*
 * Tokens are opaque to callers: base64url("v1.<offset>.<digest>") where the digest covers the
 * query scope (operation, region, filters) and the offset. A token therefore only works for the
 * query that produced it and cannot be edited to jump elsewhere, like real AWS tokens. They are
 * stable across emulator restarts, which keeps recorded requests replayable.
 */
const TOKEN_VERSION = 'v1';
const TOKEN_SHAPE = /^v1\.(\d{1,9})\.([A-Za-z0-9_-]{16})$/;

function digest(scope: string, offset: number): string {
  return createHash('sha256').update(`${scope}\u0000${offset}`).digest('base64url').slice(0, 16);
}

export function encodePageToken(scope: string, offset: number): string {
  return Buffer.from(`${TOKEN_VERSION}.${offset}.${digest(scope, offset)}`).toString('base64url');
}

/** The offset a token points at; throws InvalidPageTokenError when the token is not ours. */
export function decodePageToken(scope: string, token: string): number {
  const match = TOKEN_SHAPE.exec(Buffer.from(token, 'base64url').toString('latin1'));
  if (!match) throw new InvalidPageTokenError();
  const offset = Number(match[1]);
  if (match[2] !== digest(scope, offset) || encodePageToken(scope, offset) !== token) throw new InvalidPageTokenError();
  return offset;
}

export interface PageRequest {
  /** Identifies the query: tokens from any other scope are rejected. */
  readonly scope: string;
  readonly nextToken?: string;
  readonly maxResults?: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/** One page of `items` (in their stored order) and the token for the next, if any. */
export function paginate<T>(items: readonly T[], request: PageRequest): Page<T> {
  const offset = request.nextToken === undefined ? 0 : decodePageToken(request.scope, request.nextToken);
  // Tokens are only issued while items remain, so one pointing past the end is not ours.
  if (offset > 0 && offset >= items.length) throw new InvalidPageTokenError();
  const end = offset + (request.maxResults ?? DEFAULT_PAGE_SIZE);
  return {
    items: items.slice(offset, end),
    nextToken: end < items.length ? encodePageToken(request.scope, end) : undefined,
  };
}
