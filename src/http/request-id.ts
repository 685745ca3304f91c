import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * What we accept from a caller or a proxy in front of us: a short token of URL-safe characters (UUIDs, ULIDs, AWS
 * and W3C trace ids all fit). Anything else could smuggle text into log lines and response headers, so it is
 * replaced rather than cleaned up.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function isSaneRequestId(value: unknown): value is string {
  return typeof value === 'string' && SANE_REQUEST_ID.test(value);
}

/** fastify's `genReqId`: the caller's `x-request-id` when it is sane, else a fresh UUID. */
export function requestIdOf(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return isSaneRequestId(incoming) ? incoming : randomUUID();
}
