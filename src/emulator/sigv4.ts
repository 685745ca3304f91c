import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { commonErrors } from './aws-errors.js';
import type { Session, SessionTable } from './sessions.js';

/*
 * SigV4 verification. The emulator recomputes the signature with the same signer the SDKs use
 * (@smithy/signature-v4), over exactly the headers the client says it signed, so path and query
 * canonicalization match the clients byte for byte. Clock skew is not enforced: a laptop or CI
 * container with a drifting clock should still be able to talk to its local emulator (the expiry of temporary
 * credentials is checked, on the emulator's clock, which tests move).
 */

/** Who signed a request: an account, and the session when it was signed with temporary credentials. */
export interface Caller {
  readonly accountId: string;
  readonly session?: Session;
}

export interface EmulatorCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export const DEFAULT_CREDENTIALS: readonly EmulatorCredentials[] = [{ accessKeyId: 'test', secretAccessKey: 'test' }];

export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
}

export interface ParsedAuthorization {
  readonly scope: CredentialScope;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/aws4_request\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/;

/** Reads the Authorization header; throws the AWS common error for a missing or malformed one. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (header === undefined || header.trim() === '') throw commonErrors.missingAuthenticationToken();
  if (!header.startsWith('AWS4-HMAC-SHA256')) {
    throw commonErrors.incompleteSignature(`Unsupported Authorization algorithm: only AWS4-HMAC-SHA256 is accepted.`);
  }
  const match = AUTHORIZATION.exec(header);
  if (!match) {
    throw commonErrors.incompleteSignature(
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters (Credential=AKID/yyyymmdd/region/service/aws4_request).",
    );
  }
  const [, accessKeyId, date, region, service, signedHeaders, signature] = match as unknown as string[];
  return {
    scope: { accessKeyId: accessKeyId!, date: date!, region: region!, service: service! },
    signedHeaders: signedHeaders!.split(';'),
    signature: signature!,
  };
}

export interface SignedRequest {
  readonly method: string;
  /** The path exactly as sent (still percent-encoded): SigV4 encodes it again. */
  readonly rawPath: string;
  /** Decoded query parameters (all values of repeated keys). */
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A node:crypto SHA-256 with the (optionally keyed) interface the smithy signer expects. */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    // Each signature uses fresh instances; nothing to reset.
  }
}

function toBytes(data: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof data === 'string') return data;
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    : new Uint8Array(data);
}

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function signerFor(credentials: EmulatorCredentials & { sessionToken?: string }): SignatureV4 {
  return new SignatureV4({
    credentials,
    region: 'us-east-1',
    service: 'emulator',
    sha256: Sha256,
    // Only what the client signed may be part of the canonical request: never add headers.
    applyChecksum: false,
    uriEscapePath: true,
  });
}

/**
 * Long-term key pairs belong to the default account (the fixtures' first); temporary ones (AssumeRole's) to their
 * session's account, and are only good with their session token (X-Amz-Security-Token) until they expire.
 */
export class SigV4Verifier {
  // One signer per long-term key pair: the signer caches derived signing keys per date/region/service.
  private readonly signers = new Map<string, SignatureV4>();
  // Sessions' signers, made on first use; as bounded as the session table (an entry goes when its session does).
  private readonly sessionSigners = new WeakMap<Session, SignatureV4>();

  constructor(
    credentials: readonly EmulatorCredentials[],
    private readonly sessions: SessionTable,
    private readonly defaultAccountId: string,
  ) {
    for (const pair of credentials) this.signers.set(pair.accessKeyId, signerFor(pair));
  }

  /** The account a key id belongs to, without checking anything (to count calls before they are verified). */
  accountOf(accessKeyId: string): string | undefined {
    if (this.signers.has(accessKeyId)) return this.defaultAccountId;
    return this.sessions.get(accessKeyId)?.accountId;
  }

  /** Resolves to the caller when the request is signed by a known key; otherwise throws the AWS error. */
  async verify(request: SignedRequest, auth: ParsedAuthorization, now: Date): Promise<Caller> {
    const token = headerValue(request.headers['x-amz-security-token']);
    const session = this.sessions.get(auth.scope.accessKeyId);
    let signer = this.signers.get(auth.scope.accessKeyId);
    // A long-term key with a session token is refused, as AWS refuses it.
    if (signer && token !== undefined) throw commonErrors.unrecognizedClient();
    if (!signer && session) {
      if (token !== session.sessionToken) throw commonErrors.unrecognizedClient();
      if (session.expiration.getTime() <= now.getTime()) throw commonErrors.expiredToken();
      signer = this.sessionSigners.get(session);
      if (!signer) {
        signer = signerFor(session);
        this.sessionSigners.set(session, signer);
      }
    }
    if (!signer) throw commonErrors.unrecognizedClient();

    const amzDate = headerValue(request.headers['x-amz-date']);
    const dateMatch = amzDate === undefined ? null : AMZ_DATE.exec(amzDate);
    if (!dateMatch)
      throw commonErrors.incompleteSignature("Authorization header requires existence of a valid 'X-Amz-Date' header.");
    // HTTP/2 clients sign the :authority pseudo-header, which stands for Host.
    if (!auth.signedHeaders.includes('host') && !auth.signedHeaders.includes(':authority'))
      throw commonErrors.invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");

    const claimedPayloadHash = headerValue(request.headers['x-amz-content-sha256']);
    if (
      claimedPayloadHash !== undefined &&
      claimedPayloadHash !== 'UNSIGNED-PAYLOAD' &&
      claimedPayloadHash !== createHash('sha256').update(request.body).digest('hex')
    ) {
      throw commonErrors.invalidSignature(
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
      );
    }

    const headers: Record<string, string> = {};
    for (const name of auth.signedHeaders) {
      const value = headerValue(request.headers[name]);
      if (value !== undefined) headers[name] = value;
    }
    const [, y, mo, d, h, mi, s] = dateMatch.map(Number) as number[];
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: headers.host ?? headers[':authority'] ?? '',
        path: request.rawPath,
        query: { ...request.query },
        headers,
        body: request.body.length > 0 ? request.body : undefined,
      },
      {
        signingDate: new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!)),
        signingRegion: auth.scope.region,
        signingService: auth.scope.service,
        signableHeaders: new Set(auth.signedHeaders),
      },
    );
    const expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization))?.[1] ?? '';
    if (!constantTimeEqual(expected, auth.signature)) throw commonErrors.invalidSignature();
    return session && !this.signers.has(auth.scope.accessKeyId)
      ? { accountId: session.accountId, session }
      : { accountId: this.defaultAccountId };
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
