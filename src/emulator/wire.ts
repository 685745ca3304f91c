import type { ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { type AwsError, queryErrorCode } from './aws-errors.js';
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
  awsQuery: 'text/xml',
};

/** What the answers of one service look like beyond the protocol (AwsError carries the code and status). */
export interface ResponseFormat {
  readonly protocol: Protocol;
  /** The error message member: `Message` or `message` (always `Message` in awsQuery XML). */
  readonly messageMember: string;
  /** awsQuery: the XML namespace of every answer (`https://sts.amazonaws.com/doc/2011-06-15/`). */
  readonly xmlNamespace?: string;
}

function response(
  protocol: Protocol,
  statusCode: number,
  requestId: string,
  body: Buffer,
  extra: Record<string, string> = {},
): WireResponse {
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

function jsonResponse(
  protocol: Protocol,
  statusCode: number,
  requestId: string,
  document: unknown,
  extra: Record<string, string> = {},
): WireResponse {
  return response(protocol, statusCode, requestId, Buffer.from(JSON.stringify(document)), extra);
}

/**
 * restJson1 and awsJson1_1: the output document as JSON. awsQuery:
 * `<{Action}Response xmlns><{Action}Result>members</{Action}Result><ResponseMetadata><RequestId/></ResponseMetadata>`.
 */
export function successResponse(
  format: ResponseFormat,
  requestId: string,
  output: object,
  operationName: string,
): WireResponse {
  if (format.protocol !== 'awsQuery') return jsonResponse(format.protocol, 200, requestId, output);
  const xml =
    `<${operationName}Response${xmlns(format)}><${operationName}Result>${xmlMembers(output)}</${operationName}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operationName}Response>`;
  return response('awsQuery', 200, requestId, Buffer.from(xml));
}

/**
 * restJson1: the `X-Amzn-Errortype` header plus a body with the service's message member.
 * awsJson1_1: `__type` and `message` in the body (the shape name only, as servers should send).
 * awsQuery: `<ErrorResponse><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>`,
 * with the query APIs' names of the common errors (`SignatureDoesNotMatch` for `InvalidSignatureException`, ...).
 */
export function errorResponse(format: ResponseFormat, requestId: string, error: AwsError): WireResponse {
  const { protocol, messageMember } = format;
  if (protocol === 'awsQuery') {
    const type = error.statusCode >= 500 ? 'Receiver' : 'Sender';
    const code = escapeXml(queryErrorCode(error.code));
    const xml =
      `<ErrorResponse${xmlns(format)}><Error><Type>${type}</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return response(protocol, error.statusCode, requestId, Buffer.from(xml));
  }
  if (protocol === 'awsJson1_1') {
    return jsonResponse(protocol, error.statusCode, requestId, { __type: error.code, [messageMember]: error.message });
  }
  return jsonResponse(
    protocol,
    error.statusCode,
    requestId,
    { [messageMember]: error.message },
    { 'X-Amzn-Errortype': error.code },
  );
}

function xmlns(format: ResponseFormat): string {
  return format.xmlNamespace ? ` xmlns="${escapeXml(format.xmlNamespace)}"` : '';
}

/** Output members as XML elements: nested structures as nested elements, lists as `<member>`s, undefined left out. */
function xmlMembers(document: object): string {
  return Object.entries(document)
    .filter(([, value]) => value !== undefined && value !== null)
    .map(([name, value]) => `<${name}>${xmlValue(value)}</${name}>`)
    .join('');
}

function xmlValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => `<member>${xmlValue(item)}</member>`).join('');
  if (typeof value === 'object' && value !== null) return xmlMembers(value);
  return escapeXml(String(value));
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

export interface WriteOptions {
  /** Spread the body over this long (headers go out at once). */
  readonly slowBodyMs?: number;
  /** Send the headers (with the full Content-Length) and part of the body, then drop the connection. */
  readonly truncate?: boolean;
}

const SLOW_BODY_CHUNKS = 10;

export async function writeResponse(
  res: ServerResponse,
  wire: WireResponse,
  options: WriteOptions = {},
): Promise<void> {
  if (res.destroyed) return;
  res.writeHead(wire.statusCode, wire.headers);
  const body = options.truncate ? wire.body.subarray(0, Math.floor(wire.body.length / 2)) : wire.body;

  if (options.slowBodyMs && options.slowBodyMs > 0 && body.length > 0) {
    const chunkSize = Math.ceil(body.length / SLOW_BODY_CHUNKS);
    const chunks = Math.ceil(body.length / chunkSize);
    // node:http2's compatibility response sends its headers on writeHead and has no flushHeaders.
    if (typeof res.flushHeaders === 'function') res.flushHeaders();
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
