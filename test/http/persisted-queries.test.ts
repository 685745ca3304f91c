import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/**
 * Automatic persisted queries (APQ) as Apollo Client, urql, Apollo iOS/Kotlin and Relay-style clients send them:
 * a SHA-256 hash instead of the query text, the full text only once after PERSISTED_QUERY_NOT_FOUND. Hash-only GETs
 * make operations cacheable by URL; CSRF prevention stays on, so a GET must show it is not a simple cross-site
 * request (a JSON content-type, `x-apollo-operation-name` or `apollo-require-preflight`).
 */

const QUERY = 'query ResolvedEvent($id: String!) { internetEvent(eventId: $id) { eventId status } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');
const VARIABLES = { id: 'evt-resolved-1' };

let stack: Stack;
let counter = 0;

/** A query text no other test has registered, so each test starts from "not persisted". */
function uniqueQuery() {
  const query = `query Fresh${++counter} { internetEvent(eventId: "evt-resolved-1") { eventId } }`;
  return { query, hash: createHash('sha256').update(query).digest('hex') };
}

function extensions(hash: string) {
  return { persistedQuery: { version: 1, sha256Hash: hash } };
}

function hashOnlyGetUrl(hash: string, variables: Record<string, unknown> = VARIABLES, operationName?: string) {
  const url = new URL(stack.gateway.url);
  url.searchParams.set('extensions', JSON.stringify(extensions(hash)));
  url.searchParams.set('variables', JSON.stringify(variables));
  if (operationName) url.searchParams.set('operationName', operationName);
  return url;
}

async function register(query: string, hash: string, variables?: Record<string, unknown>) {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables, extensions: extensions(hash) }),
  });
  return { res, body: (await res.json()) as { data?: any; errors?: any[] } };
}

beforeAll(async () => {
  stack = await startStack({ fixtures: gatewayFixtures(), env: { CACHE_STORE: 'none' } });
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetCalls());

describe('automatic persisted queries', () => {
  it('answers an unknown hash with PERSISTED_QUERY_NOT_FOUND and no AWS call', async () => {
    const { hash } = uniqueQuery();
    const res = await fetch(hashOnlyGetUrl(hash, {}), { headers: { 'apollo-require-preflight': 'true' } });
    const body = (await res.json()) as { errors?: any[] };
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    // A miss must not be cached anywhere, or the client's retry with the full query could be answered by the miss.
    expect(res.headers.get('cache-control')).toMatch(/no-cache|no-store/);
    expect(stack.totalCalls()).toBe(0);
  });

  it('registers a query sent with its hash, then runs it from a hash-only GET with cacheable headers', async () => {
    const first = await register(QUERY, HASH, VARIABLES);
    expect(first.body).toEqual({ data: { internetEvent: { eventId: 'evt-resolved-1', status: 'RESOLVED' } } });

    const res = await fetch(hashOnlyGetUrl(HASH, VARIABLES, 'ResolvedEvent'), {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(first.body);
    // The whole operation is in the URL: a CDN or browser cache can keep it for the hinted lifetime.
    expect(res.headers.get('cache-control')).toMatch(/^max-age=\d+, public$/);
    expect(res.headers.get('vary')).toMatch(/accept/i);
    expect(stack.calls()).toEqual({ 'internetmonitor:GetInternetEvent': 2 });
  });

  it('runs a hash-only POST, as Apollo Client sends by default', async () => {
    const { query, hash } = uniqueQuery();
    await register(query, hash);
    const res = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: extensions(hash) }),
    });
    expect(await res.json()).toEqual({ data: { internetEvent: { eventId: 'evt-resolved-1' } } });
  });

  it('accepts the headers each client family sends on GET: Apollo Client a JSON content-type, Apollo iOS and Kotlin the operation name', async () => {
    await register(QUERY, HASH, VARIABLES);
    const clientHeaders: Array<Record<string, string>> = [
      { 'content-type': 'application/json' },
      { 'x-apollo-operation-name': 'ResolvedEvent' },
      { 'apollo-require-preflight': 'true' },
    ];
    for (const headers of clientHeaders) {
      const res = await fetch(hashOnlyGetUrl(HASH), { headers });
      expect(res.status, JSON.stringify(headers)).toBe(200);
      expect(((await res.json()) as any).data.internetEvent.status).toBe('RESOLVED');
    }
  });

  it('blocks a GET that a cross-site page could send without a preflight', async () => {
    await register(QUERY, HASH, VARIABLES);
    const res = await fetch(hashOnlyGetUrl(HASH));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Cross-Site Request Forgery');
    expect(stack.totalCalls()).toBe(1);
  });

  it('refuses to register a query under a hash that is not its own', async () => {
    const { query } = uniqueQuery();
    const wrong = createHash('sha256').update('something else').digest('hex');
    const { res, body } = await register(query, wrong);
    expect(res.status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]).toMatchObject({
      message: 'provided sha does not match query',
      extensions: { code: 'BAD_REQUEST' },
    });
    expect(stack.totalCalls()).toBe(0);
    // ...so the hash stays unknown.
    const after = await fetch(hashOnlyGetUrl(wrong, {}), { headers: { 'apollo-require-preflight': 'true' } });
    expect(((await after.json()) as any).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
