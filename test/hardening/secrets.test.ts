import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIENCE, ISSUER, type TokenIssuer, sha256Hex, strangerKey, tokenIssuer } from './auth-helpers.js';
import { type GatewayProcess, startDemoProcess } from './process.js';

/**
 * Runs the real process with credentials of every kind, at the most verbose log level, drives it through successes,
 * refusals and AWS faults, and checks that no secret shows up in any response (body or header) or log line.
 */

const AWS_ACCESS_KEY_ID = 'AKIASENTINEL7Q2W3E4R';
const AWS_SECRET_ACCESS_KEY = 'sentinel/AwsSecret+Kq9Vb2Xn5Lm8Pr1Ty4Uw7Zs0';
const API_KEY = 'sentinel_apikey_Hs83JdK29fLq0ZmXn4Bv7Cw1';
const WRONG_API_KEY = 'sentinel_wrongkey_Pq72Lm4Nx8Vb1Zc6Kj9Hg3Fd';

let issuer: TokenIssuer;
let token: string;
let forged: string;
let proc: GatewayProcess;

/** Responses to requests that carry secrets only in headers: none may contain any secret. */
const seen: string[] = [];
/** Responses to requests that put a secret in the operation itself: these may quote the caller's own input back. */
const echoes: string[] = [];

async function call(path: string, init: RequestInit = {}, into = seen): Promise<void> {
  const res = await fetch(proc.gatewayUrl.replace(/\/graphql$/, path), init);
  const headers: string[] = [];
  res.headers.forEach((value, name) => {
    headers.push(`${name}: ${value}`);
  });
  into.push(`${res.status} ${headers.join('\n')}\n${await res.text()}`);
}

function graphql(body: unknown, headers: Record<string, string> = {}, into = seen): Promise<void> {
  return call(
    '/graphql',
    { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) },
    into,
  );
}

beforeAll(async () => {
  issuer = await tokenIssuer();
  token = await issuer.sign({ sub: 'secrets-test' });
  forged = await issuer.sign({ sub: 'intruder' }, { key: await strangerKey() });
  proc = await startDemoProcess({
    LOG_LEVEL: 'trace',
    AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY,
    EMULATOR_CREDENTIALS: `${AWS_ACCESS_KEY_ID}:${AWS_SECRET_ACCESS_KEY}`,
    API_KEYS: `ci=sha256:${sha256Hex(API_KEY)}`,
    JWKS_FILE: issuer.jwksFile,
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    AWS_MAX_ATTEMPTS: '2',
  });

  const dashboard = {
    query: '{ internetEvents(first: 2) { nodes { eventId } } eventTrackers(first: 2) { nodes { name trackingId } } }',
  };
  await graphql(dashboard, { 'x-api-key': API_KEY });
  await graphql(dashboard, { authorization: `Bearer ${token}` });
  await graphql(dashboard, { authorization: `ApiKey ${API_KEY}`, 'cache-control': 'no-cache' });
  // Refused callers.
  await graphql(dashboard);
  await graphql(dashboard, { 'x-api-key': WRONG_API_KEY });
  await graphql(dashboard, { authorization: `Bearer ${forged}` });
  await graphql(dashboard, { authorization: `Bearer ${token}x` });
  // Secrets put where data goes (arguments, operation names): the logs must not keep them.
  await graphql(
    { query: 'query($d: String!) { eventStream(domainName: $d, name: "x") { name } }', variables: { d: API_KEY } },
    { 'x-api-key': API_KEY },
    echoes,
  );
  await graphql(
    { query: 'query($e: String!) { internetEvent(eventId: $e) { eventId } }', variables: { e: token } },
    { 'x-api-key': API_KEY },
    echoes,
  );
  await graphql(
    { query: 'query Q { __typename }', operationName: AWS_SECRET_ACCESS_KEY },
    { 'x-api-key': API_KEY },
    echoes,
  );
  // AWS failing: throttled, erroring and reset calls are logged as warnings.
  await fetch(`${proc.emulatorUrl}/_emulator/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      rules: [
        { service: 'personalize', throttleRate: 1 },
        { service: 'internetmonitor', errorRate: 1 },
        { service: 'profile', resetRate: 1 },
      ],
    }),
  });
  for (const query of [
    '{ eventTrackers { nodes { name } } }',
    '{ internetEvents { nodes { eventId } } }',
    '{ node(id: "evt-x") { id } }',
  ]) {
    await graphql({ query }, { 'x-api-key': API_KEY, 'cache-control': 'no-cache' });
  }
  await call('/metrics');
  await call('/readyz');
  await call('/healthz');
}, 60_000);
afterAll(async () => {
  expect(await proc?.stop()).toBe(0);
});

describe('secrets', () => {
  it('drove the process through successes, refusals and AWS failures', () => {
    expect(seen.filter((s) => s.startsWith('200 '))).not.toHaveLength(0);
    expect(seen.filter((s) => s.startsWith('401 '))).toHaveLength(4);
    expect(seen.join('\n')).toMatch(/THROTTLED/);
    expect(seen.join('\n')).toMatch(/UPSTREAM_UNAVAILABLE/);
    expect(echoes).toHaveLength(3);
    expect(proc.output()).toMatch(/"msg":"graphql operation"/);
  });

  it.each([
    ['the AWS secret access key', () => AWS_SECRET_ACCESS_KEY],
    ['the AWS access key id', () => AWS_ACCESS_KEY_ID],
    ['an API key', () => API_KEY],
    ['a refused API key', () => WRONG_API_KEY],
    ['a bearer token', () => token],
    ['the signature of a bearer token', () => token.split('.')[2]!],
    ['a forged bearer token', () => forged],
  ])('never shows %s in a response or a log line', (_what, secret) => {
    const value = secret();
    for (const response of seen) expect(response).not.toContain(value);
    expect(proc.output()).not.toContain(value);
  });
});
