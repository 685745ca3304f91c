import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoggedStack, startLoggedStack } from '../http/log-capture.js';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { openRaw } from '../helpers/raw-http.js';
import { freePort } from '../helpers/redis.js';
import { AUDIENCE, ISSUER } from './auth-helpers.js';

/**
 * Requests a client can send on purpose that used to end in a 5xx or echo themselves back (the hostile corpus holds
 * the rest): each now has a 4xx of its own, and a 5xx, when there is one, leaves a log line.
 */

let stack: LoggedStack;
beforeAll(async () => {
  stack = await startLoggedStack(gatewayFixtures());
});
afterAll(() => stack?.close());

describe('malformed requests', () => {
  it('answers an HTTP/1.0 request without Host with 400 BAD_REQUEST', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const connection = await openRaw(stack.gateway.url);
    connection.socket.write(
      `POST /graphql HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    await connection.closed;
    const answer = connection.received();
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toMatch(/"code":"BAD_REQUEST"/);
    expect(answer).toMatch(/no Host header/);
  });

  it('cuts a 200 KB operationName out of its error message instead of echoing it', async () => {
    const name = 'B'.repeat(200_000);
    const res = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query A { __typename }', operationName: name }),
    });
    const text = await res.text();
    expect(res.status).toBe(200); // a refusal in GraphQL, answered as application/json
    expect(text.length).toBeLessThan(1_000);
    expect(JSON.parse(text).errors[0].message).toMatch(/^Unknown operation named "B+… \(cut\)$/);
  });
});

describe('5xx answers', () => {
  let jwksDown: LoggedStack;
  beforeAll(async () => {
    // A port nothing listens on: the key set cannot be fetched, and bearer tokens cannot be verified.
    const port = await freePort();
    jwksDown = await startLoggedStack(gatewayFixtures(), {
      JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
    });
  });
  afterAll(() => jwksDown?.close());

  it('logs every 5xx with its status and path, and nothing the caller sent', async () => {
    jwksDown.logs.clear();
    const token = 'eyJhbGciOiJFUzI1NiIsImtpZCI6InRlc3Qta2V5In0.eyJzdWIiOiJ4In0.c2ln';
    const res = await fetch(`${jwksDown.gateway.url}?secret=s3cr3t`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.status).toBe(503);
    const lines = jwksDown.logs.records().filter((r) => r.msg === 'server error response');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        method: 'POST',
        path: '/graphql',
        status: 503,
        requestId: expect.any(String),
      }),
    ]);
    expect(JSON.stringify(lines)).not.toMatch(/s3cr3t|eyJ/);
  });

  it('does not log 4xx answers as server errors', async () => {
    jwksDown.logs.clear();
    const res = await fetch(jwksDown.gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(401);
    expect(jwksDown.logs.records().filter((r) => r.msg === 'server error response')).toEqual([]);
  });
});
