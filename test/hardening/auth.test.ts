import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnsecuredJWT, SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type Gateway, startGateway } from '../../src/server.js';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';
import { AUDIENCE, ISSUER, type TokenIssuer, sha256Hex, strangerKey, tokenIssuer } from './auth-helpers.js';

const QUERY = JSON.stringify({ query: '{ internetEvent(eventId: "evt-active-1") { eventId } }' });
const KEY_CI = 'k_ci_7dG2qLx0Vn3pWf9sZ1bYc8Ha4Ru6Tm5E';
const KEY_APP = 'k_app_Qp2mX9vL4nS8dF1gH6jK3wE7rT0yU5iO';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function post(url: string, headers: Record<string, string> = {}, body = QUERY): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
}

function expectUnauthenticated(answer: Answer, message: RegExp = /.+/) {
  expect(answer.status).toBe(401);
  expect(answer.headers.get('www-authenticate')).toMatch(/Bearer/);
  expect(answer.body.data).toBeUndefined();
  expect(answer.body.errors).toEqual([
    { message: expect.stringMatching(message), extensions: { code: 'UNAUTHENTICATED' } },
  ]);
}

describe('API keys', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { API_KEYS: `ci=sha256:${sha256Hex(KEY_CI)},sha256:${sha256Hex(KEY_APP)}`, AUTH_FAILURE_LIMIT: '0' },
    });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());

  it('refuses a request without credentials with 401 UNAUTHENTICATED, before any AWS call', async () => {
    expectUnauthenticated(await post(stack.gateway.url), /Authentication required/);
    expect(stack.totalCalls()).toBe(0);
  });

  it('refuses a wrong key without echoing it', async () => {
    const wrong = `${KEY_CI.slice(0, -1)}X`;
    const answer = await post(stack.gateway.url, { 'x-api-key': wrong });
    expectUnauthenticated(answer, /API key is not valid/);
    expect(answer.text).not.toContain(wrong);
    expect(stack.totalCalls()).toBe(0);
  });

  it('accepts a key sent as x-api-key', async () => {
    const answer = await post(stack.gateway.url, { 'x-api-key': KEY_CI });
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ internetEvent: { eventId: 'evt-active-1' } });
  });

  it('accepts a key sent as Authorization: ApiKey', async () => {
    const answer = await post(stack.gateway.url, { authorization: `ApiKey ${KEY_APP}` });
    expect(answer.body.data).toEqual({ internetEvent: { eventId: 'evt-active-1' } });
  });

  it('refuses a bearer token when no JWKS is configured', async () => {
    expectUnauthenticated(
      await post(stack.gateway.url, { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' }),
      /bearer token is not valid/,
    );
  });

  it('keeps the health endpoints and the metrics open', async () => {
    const base = stack.gateway.url.replace(/\/graphql$/, '');
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await fetch(base + path)).status, path).toBe(200);
  });

  it('serves the playground page to a browser without credentials', async () => {
    const res = await fetch(stack.gateway.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('JWT bearer tokens', () => {
  let issuer: TokenIssuer;
  let stack: Stack;
  beforeAll(async () => {
    issuer = await tokenIssuer();
    stack = await startStack({
      fixtures: gatewayFixtures(),
      // Every refusal here comes from one address: the failed-authentication limit has its own tests.
      env: { JWKS_FILE: issuer.jwksFile, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, AUTH_FAILURE_LIMIT: '0' },
    });
  });
  afterAll(() => stack?.close());

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('accepts a token signed by a key of the JWKS, for this audience and issuer', async () => {
    const answer = await post(stack.gateway.url, bearer(await issuer.sign()));
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ internetEvent: { eventId: 'evt-active-1' } });
  });

  it('refuses an expired token, saying so', async () => {
    expectUnauthenticated(
      await post(
        stack.gateway.url,
        bearer(await issuer.sign(undefined, { expiresIn: Math.floor(Date.now() / 1000) - 120 })),
      ),
      /expired/,
    );
  });

  it.each([
    ['another audience', { audience: 'someone-else' }],
    ['another issuer', { issuer: 'https://evil.example.test/' }],
  ])('refuses a token for %s', async (_case, options) => {
    expectUnauthenticated(
      await post(stack.gateway.url, bearer(await issuer.sign(undefined, options))),
      /not issued for this API/,
    );
  });

  it('refuses a token whose expiry is far ahead (100 years), past JWT_MAX_AGE_S', async () => {
    const century = Math.floor(Date.now() / 1000) + 100 * 365 * 86_400;
    expectUnauthenticated(
      await post(stack.gateway.url, bearer(await issuer.sign(undefined, { expiresIn: century }))),
      /lives longer than this API accepts/,
    );
  });

  it('refuses a token issued in the future', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign(undefined, { issuedAt: now + 3_600, expiresIn: now + 4_000 });
    expectUnauthenticated(await post(stack.gateway.url, bearer(token)), /issued in the future/);
  });

  it('accepts a token issued a little in the future, within the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign(undefined, { issuedAt: now + 10, expiresIn: now + 600 });
    expect((await post(stack.gateway.url, bearer(token))).status).toBe(200);
  });

  it('refuses a token signed by a key outside the JWKS', async () => {
    expectUnauthenticated(
      await post(stack.gateway.url, bearer(await issuer.sign(undefined, { key: await strangerKey() }))),
      /not valid/,
    );
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const token = new UnsecuredJWT({ sub: 'x' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .encode();
    expectUnauthenticated(await post(stack.gateway.url, bearer(token)), /not valid/);
  });

  it('refuses a token signed with a shared secret (HS256)', async () => {
    const token = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg: 'HS256', kid: 'test-key' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-shared-secret-of-thirty-two-bytes!'));
    expectUnauthenticated(await post(stack.gateway.url, bearer(token)), /not valid/);
  });

  it('refuses a token without a subject', async () => {
    expectUnauthenticated(await post(stack.gateway.url, bearer(await issuer.sign({ scope: 'read' }))));
  });

  it('refuses garbage in the Authorization header', async () => {
    for (const value of ['Bearer', 'Bearer not.a.jwt', 'Basic dXNlcjpwYXNz', `Bearer ${'a'.repeat(9000)}`]) {
      expectUnauthenticated(await post(stack.gateway.url, { authorization: value }));
    }
  });
});

describe('JWT lifetime (JWT_MAX_AGE_S)', () => {
  let issuer: TokenIssuer;
  let stack: Stack;
  beforeAll(async () => {
    issuer = await tokenIssuer();
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { JWKS_FILE: issuer.jwksFile, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_MAX_AGE_S: '3600' },
    });
  });
  afterAll(() => stack?.close());
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('accepts a token that lives as long as allowed', async () => {
    expect((await post(stack.gateway.url, bearer(await issuer.sign(undefined, { expiresIn: '1h' })))).status).toBe(200);
  });

  it('refuses one that lives two hours, and one without iat that expires in two hours', async () => {
    expectUnauthenticated(
      await post(stack.gateway.url, bearer(await issuer.sign(undefined, { expiresIn: '2h' }))),
      /lives longer/,
    );
    const now = Math.floor(Date.now() / 1000);
    const noIat = await issuer.sign(undefined, { issuedAt: null, expiresIn: now + 7_200 });
    expectUnauthenticated(await post(stack.gateway.url, bearer(noIat)), /lives longer/);
  });

  it('refuses one issued long ago that claimed a long life, even if it expires soon', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign(undefined, { issuedAt: now - 86_400, expiresIn: now + 60 });
    expectUnauthenticated(await post(stack.gateway.url, bearer(token)), /lives longer/);
  });
});

describe('JWT bearer tokens verified against a JWKS URL', () => {
  let issuer: TokenIssuer;
  let jwksServer: Server;
  let stack: Stack;
  let jwksRequests = 0;
  beforeAll(async () => {
    issuer = await tokenIssuer();
    jwksServer = createServer((_req, res) => {
      jwksRequests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(issuer.jwks));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { JWKS_URL: url, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE },
    });
  });
  afterAll(async () => {
    await stack?.close();
    jwksServer?.close();
  });

  it('fetches the key set once and accepts tokens it verifies', async () => {
    for (let i = 0; i < 3; i++)
      expect((await post(stack.gateway.url, { authorization: `Bearer ${await issuer.sign()}` })).status).toBe(200);
    expect(jwksRequests).toBe(1);
  });
});

describe('rate limit per caller', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: {
        API_KEYS: `ci=sha256:${sha256Hex(KEY_CI)},app=sha256:${sha256Hex(KEY_APP)}`,
        RATE_LIMIT_PER_SECOND: '0.1',
        RATE_LIMIT_BURST: '2',
      },
    });
  });
  afterAll(() => stack?.close());

  it('answers 429 RATE_LIMITED with a Retry-After hint once a caller spends its burst, without any AWS call', async () => {
    expect((await post(stack.gateway.url, { 'x-api-key': KEY_CI })).status).toBe(200);
    expect((await post(stack.gateway.url, { 'x-api-key': KEY_CI })).status).toBe(200);
    stack.resetCalls();
    const limited = await post(stack.gateway.url, { 'x-api-key': KEY_CI });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body.errors).toEqual([
      {
        message: expect.stringMatching(/Too many requests/),
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: Number(limited.headers.get('retry-after')) },
      },
    ]);
    expect(stack.totalCalls()).toBe(0);
  });

  it('counts every caller on its own', async () => {
    expect((await post(stack.gateway.url, { 'x-api-key': KEY_APP })).status).toBe(200);
  });
});

describe('authentication settings', () => {
  it('reports a malformed API key entry without repeating it', () => {
    const secret = 'this-is-a-raw-key-not-a-hash';
    try {
      loadConfig('gateway', { API_KEYS: secret });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(/API_KEYS: entry 1 must be sha256/);
      expect((error as ConfigError).message).not.toContain(secret);
    }
  });

  it('requires an issuer and an audience with a JWKS', async () => {
    const issuer = await tokenIssuer();
    expect(() => loadConfig('gateway', { JWKS_FILE: issuer.jwksFile })).toThrow(
      /JWT_ISSUER: required[\s\S]*JWT_AUDIENCE: required/,
    );
  });

  it('refuses a JWKS file that holds a private key', async () => {
    const { writeFileSync } = await import('node:fs');
    const issuer = await tokenIssuer();
    writeFileSync(issuer.jwksFile, JSON.stringify({ keys: [{ ...issuer.jwks.keys[0], d: 'private' }] }));
    expect(() =>
      loadConfig('gateway', { JWKS_FILE: issuer.jwksFile, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }),
    ).toThrow(/private key/);
  });
});

describe('production defaults', () => {
  let emulator: RunningEmulator;
  let gateway: Gateway;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, fixtures: gatewayFixtures() });
    const config = loadConfig('gateway', {
      NODE_ENV: 'production',
      PORT: '0',
      LOG_LEVEL: 'silent',
      AWS_ENDPOINT_URL: emulator.url,
    });
    gateway = await startGateway({
      ...config,
      aws: { ...config.aws, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await emulator?.close();
  });

  it('turns introspection off', async () => {
    const answer = await post(gateway.url, {}, JSON.stringify({ query: '{ __schema { types { name } } }' }));
    // A GraphQL refusal answered as application/json: 200, with its code.
    expect(answer.status).toBe(200);
    expect(answer.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('does not suggest field names, which would spell out the schema', async () => {
    const answer = await post(gateway.url, {}, JSON.stringify({ query: '{ internetEvnt(eventId: "x") { eventId } }' }));
    expect(answer.body.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.text).not.toMatch(/Did you mean|internetEvent/);
  });

  it('does not serve the playground', async () => {
    const res = await fetch(gateway.url, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type')).not.toMatch(/text\/html/);
  });

  it('blocks requests a browser could send cross-site (CSRF prevention)', async () => {
    const res = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: QUERY });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Answer['body']).errors![0]!.extensions!.code).toBe('BAD_REQUEST');
  });

  it('rate-limits each caller by default and answers without stack traces', async () => {
    expect(gateway.services.config.security.rateLimit).toEqual({ perSecond: 50, burst: 100 });
    const answer = await post(
      gateway.url,
      {},
      JSON.stringify({ query: '{ eventStream(domainName: "retail", name: "gone") { name } }' }),
    );
    expect(answer.body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect(answer.text).not.toMatch(/stacktrace|\.ts:\d+|node_modules/);
  });
});
