import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../hardening/auth-helpers.js';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/**
 * A shared cache in front of the gateway (a CDN, a router) must never hand an answer given to one caller's
 * credentials to anyone else: such answers are `private` unless the operator opts in, and `Vary` names every
 * request header the answer depends on.
 */

const KEY = 'k_cdn_Wm3nB6vC9xZ2lK5jH8gF1dS4aQ7eR0tY';
const QUERY = '{ internetEvent(eventId: "evt-resolved-1") { eventId status } }';

function get(stack: Stack, headers: Record<string, string> = {}) {
  return fetch(`${stack.gateway.url}?query=${encodeURIComponent(QUERY)}`, {
    headers: { 'apollo-require-preflight': 'true', ...headers },
  });
}

function varyOf(res: Response): string[] {
  return (res.headers.get('vary') ?? '')
    .split(',')
    .map((field) => field.trim().toLowerCase())
    .filter(Boolean)
    .sort();
}

describe('with authentication on', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures(), env: { API_KEYS: `cdn=sha256:${sha256Hex(KEY)}` } });
  });
  afterAll(() => stack?.close());

  it('marks an authenticated GET private, keeping its max-age', async () => {
    const res = await get(stack, { 'x-api-key': KEY });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/^max-age=\d+, private$/);
  });

  it('marks an authenticated POST private too', async () => {
    const res = await stack.query(QUERY, undefined, { authorization: `ApiKey ${KEY}` });
    expect(res.headers.get('cache-control')).toMatch(/^max-age=\d+, private$/);
  });

  it('varies on Accept and on the credential headers, on GET and POST', async () => {
    const expected = ['accept', 'authorization', 'x-api-key'];
    expect(varyOf(await get(stack, { 'x-api-key': KEY })).filter((f) => f !== 'origin')).toEqual(expected);
    const post = await stack.query(QUERY, undefined, { 'x-api-key': KEY });
    expect(varyOf({ headers: post.headers } as Response).filter((f) => f !== 'origin')).toEqual(expected);
  });

  it('never lets a refusal be stored', async () => {
    const res = await get(stack);
    expect(res.status).toBe(401);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('with authentication off', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures() });
  });
  afterAll(() => stack?.close());

  it('keeps an anonymous answer public, varying on Accept alone', async () => {
    const res = await get(stack);
    expect(res.headers.get('cache-control')).toMatch(/^max-age=\d+, public$/);
    expect(varyOf(res).filter((f) => f !== 'origin')).toEqual(['accept']);
  });

  it('marks private an answer to a request that carried credentials anyway (a cookie, an Authorization)', async () => {
    expect((await get(stack, { cookie: 'session=abc' })).headers.get('cache-control')).toMatch(/, private$/);
    expect((await get(stack, { authorization: 'Bearer x' })).headers.get('cache-control')).toMatch(/, private$/);
  });
});

describe('with CACHE_PUBLIC_WITH_CREDENTIALS=true', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { API_KEYS: `cdn=sha256:${sha256Hex(KEY)}`, CACHE_PUBLIC_WITH_CREDENTIALS: 'true' },
    });
  });
  afterAll(() => stack?.close());

  it('leaves authenticated answers public, and a shared cache keys them on the credentials', async () => {
    const res = await get(stack, { 'x-api-key': KEY });
    expect(res.headers.get('cache-control')).toMatch(/^max-age=\d+, public$/);
    expect(varyOf(res)).toEqual(expect.arrayContaining(['authorization', 'x-api-key']));
  });
});
