import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** A node:crypto SHA-256 with the (optionally keyed) interface @smithy/signature-v4 expects. */
export class Sha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {}
}

export interface SignedFetchRequest {
  /** The signing name put in the credential scope: profile, personalize, internetmonitor, sts. */
  service: string;
  region?: string;
  method?: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** A SigV4-signed request sent with fetch (credentials test/test unless given), to look at the raw wire format. */
export async function signedFetch(endpoint: string, request: SignedFetchRequest): Promise<Response> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    credentials: request.credentials ?? { accessKeyId: 'test', secretAccessKey: 'test' },
    region: request.region ?? 'us-east-1',
    service: request.service,
    // The signer's hash constructor type is wider than needed; this class implements what it calls.
    sha256: Sha256 as never,
  });
  const signed = await signer.sign({
    method: request.method ?? 'GET',
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: request.path,
    query: request.query ?? {},
    headers: { host: url.host, ...request.headers },
    body: request.body,
  });
  const query = new URLSearchParams(request.query).toString();
  const { host: _host, ...headers } = signed.headers;
  return fetch(`${endpoint}${request.path}${query ? `?${query}` : ''}`, {
    method: signed.method,
    headers,
    body: request.body,
  });
}
