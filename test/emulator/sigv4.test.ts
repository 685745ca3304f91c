import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../src/emulator/aws-errors.js';
import { SessionTable } from '../../src/emulator/sessions.js';
import { SigV4Verifier, parseAuthorization } from '../../src/emulator/sigv4.js';
import { Sha256 } from '../helpers/sigv4.js';

async function signedRequest(
  secretAccessKey: string,
  request: { path: string; query?: Record<string, string>; body?: string },
) {
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'test', secretAccessKey },
    region: 'eu-west-1',
    service: 'profile',
    sha256: Sha256 as never,
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: request.path,
    query: request.query ?? {},
    headers: { host: '127.0.0.1:4566', 'x-amz-user-agent': 'test' },
    body: request.body,
  });
  return {
    method: 'GET',
    rawPath: request.path,
    query: request.query ?? {},
    headers: signed.headers,
    body: Buffer.from(request.body ?? ''),
  };
}

async function rejection(promise: Promise<unknown>): Promise<AwsError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AwsError);
    return error as AwsError;
  }
  throw new Error('expected a rejection');
}

describe('parseAuthorization', () => {
  it('reads the credential scope and signed headers', () => {
    const parsed = parseAuthorization(
      `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/profile/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`,
    );
    expect(parsed.scope).toEqual({ accessKeyId: 'AKID', date: '20240101', region: 'us-east-1', service: 'profile' });
    expect(parsed.signedHeaders).toEqual(['host', 'x-amz-date']);
  });

  it('treats a missing header as MissingAuthenticationTokenException', () => {
    expect(() => parseAuthorization(undefined)).toThrow(
      expect.objectContaining({ code: 'MissingAuthenticationTokenException', statusCode: 403 }),
    );
  });

  it('treats a malformed header as IncompleteSignatureException', () => {
    expect(() => parseAuthorization('AWS4-HMAC-SHA256 Credential=AKID')).toThrow(
      expect.objectContaining({ code: 'IncompleteSignatureException' }),
    );
  });
});

describe('SigV4Verifier', () => {
  const ACCOUNT = '123456789012';
  const NOW = new Date();
  const verifier = new SigV4Verifier([{ accessKeyId: 'test', secretAccessKey: 'test' }], new SessionTable(), ACCOUNT);

  it('accepts a request signed with a configured key, encoded labels and query included', async () => {
    const request = await signedRequest('test', {
      path: '/domains/a%20b/event-streams',
      query: { 'next-token': 'x+y/z=', 'max-results': '5' },
    });
    await expect(verifier.verify(request, parseAuthorization(request.headers.authorization), NOW)).resolves.toEqual({
      accountId: ACCOUNT,
    });
  });

  it('rejects a request signed with another secret as InvalidSignatureException', async () => {
    const request = await signedRequest('other', { path: '/domains/d/event-streams' });
    expect(
      (await rejection(verifier.verify(request, parseAuthorization(request.headers.authorization), NOW))).code,
    ).toBe('InvalidSignatureException');
  });

  it('rejects a request whose query was changed after signing', async () => {
    const request = await signedRequest('test', { path: '/domains/d/event-streams', query: { 'max-results': '5' } });
    const tampered = { ...request, query: { 'max-results': '6' } };
    expect(
      (await rejection(verifier.verify(tampered, parseAuthorization(request.headers.authorization), NOW))).code,
    ).toBe('InvalidSignatureException');
  });

  it('rejects an unknown access key as UnrecognizedClientException', async () => {
    const request = await signedRequest('test', { path: '/domains/d/event-streams' });
    const other = new SigV4Verifier(
      [{ accessKeyId: 'someone-else', secretAccessKey: 'test' }],
      new SessionTable(),
      ACCOUNT,
    );
    expect((await rejection(other.verify(request, parseAuthorization(request.headers.authorization), NOW))).code).toBe(
      'UnrecognizedClientException',
    );
  });
});
