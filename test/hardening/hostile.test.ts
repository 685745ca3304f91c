import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';
import { HOSTILE_CORPUS, type HostileEntry } from './hostile-corpus.js';

let stack: Stack;
beforeAll(async () => {
  // No cache, so the normal operation after each entry proves with exactly one AWS call that the gateway still works.
  stack = await startStack({ fixtures: gatewayFixtures(), env: { CACHE_STORE: 'none' } });
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetCalls());

interface Answer {
  status: number;
  contentType: string;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | undefined;
}

/**
 * Refusals are sent as `application/graphql-response+json`, whose 4xx statuses say which layer refused; answered as
 * `application/json` (a router's or a plain client's `accept`), GraphQL refusals are 200 (test/http/status.test.ts).
 */
const ACCEPT = { accept: 'application/graphql-response+json' };

async function send(entry: HostileEntry): Promise<Answer> {
  let res: Response;
  if ('json' in entry.request) {
    res = await fetch(stack.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ACCEPT },
      body: JSON.stringify(entry.request.json),
    });
  } else {
    const { method, search = '', headers, body } = entry.request.raw;
    res = await fetch(stack.gateway.url + search, {
      method,
      headers: { ...ACCEPT, ...headers },
      body: typeof body === 'string' || body === undefined ? body : new Blob([new Uint8Array(body)]),
    });
  }
  const text = await res.text();
  let body: Answer['body'];
  try {
    body = JSON.parse(text) as Answer['body'];
  } catch {
    body = undefined;
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body };
}

const NORMAL = '{ internetEvent(eventId: "evt-active-1") { eventId status } }';

async function normalOperationWorks(): Promise<void> {
  const before = stack.totalCalls();
  const res = await stack.query(NORMAL);
  expect(res.status).toBe(200);
  expect(res.data).toEqual({ internetEvent: { eventId: 'evt-active-1', status: 'ACTIVE' } });
  expect(stack.totalCalls() - before).toBe(1);
}

describe('hostile corpus', () => {
  it('holds at least 40 operations and inputs, each with a distinct name', () => {
    expect(HOSTILE_CORPUS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(HOSTILE_CORPUS.map((e) => e.name)).size).toBe(HOSTILE_CORPUS.length);
  });

  it.each(HOSTILE_CORPUS)('refuses $name with $codes, costs no AWS call, and keeps serving', async (entry) => {
    const answer = await send(entry);
    expect(answer.status).toBe(entry.status);
    expect(answer.contentType).toMatch(/^application\/(graphql-response\+)?json/);
    expect(answer.body?.data ?? null).toEqual(entry.data ?? null);
    const codes = answer.body?.errors?.map((e) => e.extensions?.code) ?? [];
    expect(codes.length).toBeGreaterThan(0);
    expect([...new Set(codes)].sort()).toEqual([...entry.codes].sort());
    expect(JSON.stringify(answer.body)).not.toMatch(/stacktrace|node_modules|at .*\.(ts|js):\d+/);
    expect(stack.totalCalls()).toBe(0);
    await normalOperationWorks();
  });

  it('answers normal operations sent among the whole corpus at once, and refuses every entry', async () => {
    // One normal operation after another (never two at once, which would share one AWS call), alongside the corpus.
    const normals = (async () => {
      const answers = [];
      for (let i = 0; i < 20; i++) answers.push(await stack.query(NORMAL));
      return answers;
    })();
    const answers = await Promise.all(HOSTILE_CORPUS.map(send));
    answers.forEach((answer, i) => {
      expect.soft(answer.status, HOSTILE_CORPUS[i]!.name).toBe(HOSTILE_CORPUS[i]!.status);
    });
    for (const res of await normals)
      expect(res.data).toEqual({ internetEvent: { eventId: 'evt-active-1', status: 'ACTIVE' } });
    expect(stack.calls()).toEqual({ 'internetmonitor:GetInternetEvent': 20 });
  });

  it('counts refusals by code in the metrics', async () => {
    await send(HOSTILE_CORPUS.find((e) => e.codes[0] === 'QUERY_TOO_DEEP')!);
    await send(HOSTILE_CORPUS.find((e) => e.codes[0] === 'PAYLOAD_TOO_LARGE')!);
    const metrics = await (await fetch(stack.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(metrics).toMatch(/gateway_requests_refused_total\{code="QUERY_TOO_DEEP"\} [1-9]/);
    expect(metrics).toMatch(/gateway_requests_refused_total\{code="PAYLOAD_TOO_LARGE"\} [1-9]/);
  });
});
