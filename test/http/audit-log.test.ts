import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arns, kinesisStream, writableFixtures } from '../helpers/fixtures.js';
import { sha256Hex } from '../hardening/auth-helpers.js';
import { type LoggedStack, startLoggedStack } from './log-capture.js';

/** The audit trail: one structured line per mutation, saying who did what to which resource and how it ended. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY = 'audit-writer-key-0123456789abcdef0123456789';
const KDS = kinesisStream('us-east-1', 'audited');
const SECRET = 'confidential-tag-value';

let stack: LoggedStack;
beforeAll(async () => {
  stack = await startLoggedStack(writableFixtures(), {
    API_KEYS: `ci=sha256:${sha256Hex(KEY)}`,
    WRITE_API_KEYS: 'ci',
  });
});
afterAll(() => stack?.close());
beforeEach(() => stack.logs.clear());

async function send(query: string, variables?: Record<string, unknown>) {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: any[] };
}

const audit = () => stack.logs.records().filter((r) => r.audit === 'mutation');
const CREATE = `mutation($input: CreateEventStreamInput!) { createEventStream(input: $input) { __typename } }`;

describe('audit log', () => {
  it('writes one line per mutation: caller, operation, resource ARN, outcome and AWS request id', async () => {
    await send(CREATE, {
      input: { domainName: 'retail', name: 'audited', uri: KDS, tags: [{ key: 'k', value: SECRET }] },
    });
    const lines = audit();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'info',
      msg: 'mutation',
      caller: 'key:ci',
      operation: 'createEventStream',
      resource: arns.stream('us-east-1', 'retail', 'audited'),
      outcome: 'ok',
    });
    expect(lines[0]?.awsRequestId).toMatch(UUID);
    expect(lines[0]?.requestId).toBe(stack.logs.operations()[0]?.requestId);
  });

  it('never logs a tag value, the key or the input', async () => {
    await send(`mutation($input: UpdateEventStreamInput!) { updateEventStream(input: $input) { __typename } }`, {
      input: { domainName: 'retail', name: 'orders', tags: [{ key: 'team', value: SECRET }] },
    });
    expect(audit()[0]).toMatchObject({ outcome: 'ok', tagKeysSet: ['team'], tagKeysRemoved: ['env'] });
    // Two write calls: TagResource and UntagResource.
    expect(audit()[0]?.awsRequestIds).toHaveLength(2);
    const text = stack.logs.raw.join('\n');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('checkout');
  });

  it('logs a mutation AWS refused with its code and AWS request id, as a warning', async () => {
    await send(CREATE, { input: { domainName: 'retail', name: 'clicks', uri: KDS } });
    expect(audit()).toEqual([
      expect.objectContaining({ level: 'warn', operation: 'createEventStream', outcome: 'CONFLICT' }),
    ]);
    expect(audit()[0]?.awsRequestId).toMatch(UUID);
  });

  it('logs a mutation refused before it ran, with the refusal’s code and no resource', async () => {
    await send(CREATE, { input: { domainName: 'retail', name: 'x', uri: 'https://example.com' } });
    expect(audit()).toEqual([
      expect.objectContaining({
        operation: 'createEventStream',
        resource: null,
        outcome: 'BAD_USER_INPUT',
        awsRequestId: null,
      }),
    ]);
  });

  it('writes a line for each mutation field of an operation, in order', async () => {
    await send(`mutation {
      gone: deleteEventStream(input: { domainName: "retail", name: "audited" }) { deletedId }
      tracker: deleteEventTracker(input: { arn: "${arns.tracker('shop-tracker')}" }) { deletedId }
    }`);
    expect(audit().map((r) => [r.operation, r.outcome])).toEqual([
      ['deleteEventStream', 'ok'],
      ['deleteEventTracker', 'ok'],
    ]);
  });

  it('writes no audit line for queries', async () => {
    await send('{ eventStream(domainName: "retail", name: "orders") { name } }');
    expect(audit()).toEqual([]);
  });
});

describe('audit log with Redis down', () => {
  let down: LoggedStack;
  beforeAll(async () => {
    // Nothing listens on port 1: the shared store cannot take the new versions.
    down = await startLoggedStack(writableFixtures(), { REDIS_URL: 'redis://127.0.0.1:1', CACHE_STORE: 'redis' });
  });
  afterAll(() => down?.close());

  it('still writes, and says that the caches could not all be invalidated', async () => {
    const res = await fetch(down.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: CREATE,
        variables: { input: { domainName: 'retail', name: 'no-redis', uri: KDS } },
      }),
    });
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    const line = down.logs.records().find((r) => r.audit === 'mutation');
    expect(line).toMatchObject({ outcome: 'ok', cacheInvalidation: 'incomplete' });
  });
});
