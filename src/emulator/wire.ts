import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { AwsError } from './aws-errors.js';
import type { Protocol } from './services.js';

/** A complete response, built before it is written so faults can shape how it is written. */
export interface WireResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

const CONTENT_TYPE: Record<Protocol, string> = {
  restJson1: 'application/json',
  awsJson1_1: 'application/x-amz-json-1.1',
};

function jsonResponse(protocol: Protocol, statusCode: number, requestId: string, document: unknown, extra: Record<string, string> = {}): WireResponse {
  const body = Buffer.from(JSON.stringify(document));
  return {
    statusCode,
    headers: {
      'Content-Type': CONTENT_TYPE[protocol],
      'Content-Length': String(body.length),
      'x-amzn-RequestId': requestId,
      ...extra,
    },
    body,
  };
}

export function successResponse(protocol: Protocol, requestId: string, output: object): WireResponse {
  return jsonResponse(protocol, 200, requestId, output);
}

/**
 * restJson1: the `X-Amzn-Errortype` header plus a body with the service's message member.
 * awsJson1_1: `__type` and `message` in the body (the shape name only, as servers should send).
 */
export function errorResponse(protocol: Protocol, messageMember: string, requestId: string, error: AwsError): WireResponse {
  if (protocol === 'awsJson1_1') {
    return jsonResponse(protocol, error.statusCode, requestId, { __type: error.code, [messageMember]: error.message });
  }
  return jsonResponse(protocol, error.statusCode, requestId, { [messageMember]: error.message }, { 'X-Amzn-Errortype': error.code });
}

export interface WriteOptions {
  /** Spread the body over this long (headers go out at once). */
  readonly slowBodyMs?: number;
  /** Send the headers (with the full Content-Length) and part of the body, then drop the connection. */
  readonly truncate?: boolean;
}

const SLOW_BODY_CHUNKS = 10;

export async function writeResponse(res: ServerResponse, wire: WireResponse, options: WriteOptions = {}): Promise<void> {
  if (res.destroyed) return;
  res.writeHead(wire.statusCode, wire.headers);
  const body = options.truncate ? wire.body.subarray(0, Math.floor(wire.body.length / 2)) : wire.body;

  if (options.slowBodyMs && options.slowBodyMs > 0 && body.length > 0) {
    const chunkSize = Math.ceil(body.length / SLOW_BODY_CHUNKS);
    const chunks = Math.ceil(body.length / chunkSize);
    res.flushHeaders();
    for (let i = 0; i < chunks; i += 1) {
      await delay(options.slowBodyMs / chunks);
      if (res.destroyed) return;
      res.write(body.subarray(i * chunkSize, (i + 1) * chunkSize));
    }
  } else if (body.length > 0) {
    res.write(body);
  }

  if (options.truncate) {
    // Let the partial body reach the client, then close without completing the message.
    res.write('', () => res.destroy());
    return;
  }
  res.end();
}
