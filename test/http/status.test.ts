import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/*
 * The HTTP status of GraphQL refusals, as the GraphQL-over-HTTP spec asks: 200 when the answer is
 * `application/json` (what routers and most clients accept), 4xx when it is `application/graphql-response+json`.
 * Refusals of the transport itself (a body that is not JSON, too large a body, another media type) keep theirs.
 */

const JSON_ACCEPTS = [undefined, '*/*', 'application/json', 'application/json, */*;q=0.5'];
const GRAPHQL_RESPONSE = 'application/graphql-response+json';
const NESTED = `${'eventTrackers { nodes { datasetGroup { '.repeat(6)}name${' } } }'.repeat(6)}`;
const DEPTH_BOMB = `{ datasetGroup(arn: "${arns.group('shop')}") { ${NESTED} } }`;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fixtures: gatewayFixtures(), env: { CACHE_STORE: 'none', AWS_CALL_BUDGET: '2' } });
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetCalls());

async function post(body: unknown, accept?: string, contentType = 'application/json') {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(accept ? { accept } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
  return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, ...json };
}

const REFUSALS: Array<[string, unknown, string]> = [
  ['a parse failure', { query: '{ internetEvent(' }, 'GRAPHQL_PARSE_FAILED'],
  ['a validation failure', { query: '{ internetEvnt { eventId } }' }, 'GRAPHQL_VALIDATION_FAILED'],
  ['a limit of the document', { query: DEPTH_BOMB }, 'QUERY_TOO_DEEP'],
  [
    'variables that do not coerce',
    { query: 'query($n: Int) { internetEvents(first: $n) { nodes { eventId } } }', variables: { n: 'x' } },
    'BAD_USER_INPUT',
  ],
  [
    'an id list over MAX_LIST_IDS',
    {
      query: '{ nodes(ids: []) { id } }'.replace('[]', JSON.stringify(Array.from({ length: 101 }, (_, i) => `e${i}`))),
    },
    'LIST_TOO_LONG',
  ],
  [
    'the AWS-call budget',
    {
      query: `{ a: internetEvent(eventId: "a") { eventId } b: internetEvent(eventId: "b") { eventId }
           c: internetEvent(eventId: "c") { eventId } }`,
    },
    'AWS_CALL_BUDGET_EXCEEDED',
  ],
  ['a query text over MAX_QUERY_BYTES', { query: `{ __typename } #${'x'.repeat(17_000)}` }, 'QUERY_TOO_LARGE'],
];

describe('GraphQL refusals', () => {
  it.each(REFUSALS)('answers %s with 200 and its code when the answer is application/json', async (_n, body, code) => {
    for (const accept of JSON_ACCEPTS) {
      const res = await post(body, accept);
      expect(res.status, String(accept)).toBe(200);
      expect(res.type).toMatch(/^application\/json/);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    }
    expect(stack.totalCalls()).toBe(0);
  });

  it.each(REFUSALS)('answers %s with 4xx when the client prefers graphql-response+json', async (_n, body, code) => {
    const res = await post(body, GRAPHQL_RESPONSE);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  });
});

describe('transport refusals', () => {
  it('keeps 400 for a body that is not JSON, 415 for another media type, 413 for too large a body', async () => {
    expect((await post('{"query": ', 'application/json')).status).toBe(400);
    expect((await post({ query: '{ __typename }' }, 'application/json', 'text/csv')).status).toBe(415);
    expect((await post({ query: `{ __typename } #${'x'.repeat(300_000)}` }, 'application/json')).status).toBe(413);
  });
});

describe('persisted-query misses', () => {
  it('are no-store, like every answer with errors', async () => {
    const hash = createHash('sha256').update('query NeverSent { __typename }').digest('hex');
    const res = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
