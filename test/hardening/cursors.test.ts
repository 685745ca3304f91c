import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { listKey } from '../../src/pagination.js';
import { startLoggedStack } from '../http/log-capture.js';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/** Cursors are signed with CURSOR_SECRET: one the gateway did not issue never reaches AWS. */

const PAGE = `query($after: String) {
  eventStreams(domainName: "bulk", first: 2, after: $after) { nodes { name } pageInfo { endCursor } }
}`;
const KEY_1 = 'k1-0123456789abcdefghijklmnopqrstuvwxyz';
const KEY_2 = 'k2-0123456789abcdefghijklmnopqrstuvwxyz';

function expectRefusedCursor(res: Awaited<ReturnType<Stack['query']>>) {
  // A field error (argument rules refuse their field only), answered 200 as application/json.
  expect(res.status).toBe(200);
  expect(res.errors).toEqual([
    expect.objectContaining({
      message: 'Argument "after" must be a cursor returned by this connection.',
      extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    }),
  ]);
}

describe('signed cursors', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures(), env: { CURSOR_SECRET: KEY_1 } });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());

  it('resumes from a cursor it issued', async () => {
    const first = await stack.query(PAGE);
    const second = await stack.query(PAGE, { after: first.data!.eventStreams.pageInfo.endCursor });
    expect(second.errors).toBeUndefined();
    expect(second.data!.eventStreams.nodes).toEqual([{ name: 'bulk-02' }, { name: 'bulk-03' }]);
  });

  it('refuses a cursor it did not sign, with the right list and a token of the caller, at zero AWS calls', async () => {
    // What a cursor was before signing: the list's key, a skip count and an AWS page token.
    const forged = Buffer.from(
      JSON.stringify({ l: listKey('eventStreams', 'us-east-1', 'bulk'), s: 0, t: 'djEuMS5hbnktdG9rZW4' }),
    ).toString('base64url');
    expectRefusedCursor(await stack.query(PAGE, { after: forged }));
    expect(stack.totalCalls()).toBe(0);
  });

  it('refuses a cursor it issued once any character is changed, at zero AWS calls', async () => {
    const cursor: string = (await stack.query(PAGE)).data!.eventStreams.pageInfo.endCursor;
    stack.resetCalls();
    for (const at of [0, 10, cursor.length - 2]) {
      const changed = cursor.slice(0, at) + (cursor[at] === 'A' ? 'B' : 'A') + cursor.slice(at + 1);
      expectRefusedCursor(await stack.query(PAGE, { after: changed }));
    }
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('cursor keys', () => {
  it('refuses cursors of another key, and accepts them again with both keys (rotation)', async () => {
    const issuing = await startStack({ fixtures: gatewayFixtures(), env: { CURSOR_SECRET: KEY_1 } });
    const cursor: string = (await issuing.query(PAGE)).data!.eventStreams.pageInfo.endCursor;
    await issuing.close();

    const rotated = await startStack({ fixtures: gatewayFixtures(), env: { CURSOR_SECRET: KEY_2 } });
    try {
      expectRefusedCursor(await rotated.query(PAGE, { after: cursor }));
    } finally {
      await rotated.close();
    }
    const both = await startStack({ fixtures: gatewayFixtures(), env: { CURSOR_SECRET: `${KEY_2},${KEY_1}` } });
    try {
      expect((await both.query(PAGE, { after: cursor })).errors).toBeUndefined();
    } finally {
      await both.close();
    }
  });

  it('refuses keys shorter than 32 characters', () => {
    expect(() => loadConfig('gateway', { CURSOR_SECRET: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig('gateway', { CURSOR_SECRET: 'short' })).toThrow(/CURSOR_SECRET/);
  });

  it('generates a key per process without CURSOR_SECRET, and warns in production', async () => {
    expect(loadConfig('gateway', {}).security.cursorSecretGenerated).toBe(true);
    expect(loadConfig('gateway', {}).security.cursorSecrets).toEqual(loadConfig('demo', {}).security.cursorSecrets);
    const production = await startLoggedStack(gatewayFixtures(), { NODE_ENV: 'production' });
    try {
      expect(production.logs.records()).toContainEqual(
        expect.objectContaining({ level: 'warn', msg: expect.stringMatching(/^CURSOR_SECRET is not set/) }),
      );
    } finally {
      await production.close();
    }
  });
});
