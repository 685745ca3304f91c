import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { eventStreamMutations } from '../../src/modules/customer-profiles/mutations.js';
import { writeGrant } from '../../src/security/auth.js';
import { arns, kinesisStream, writableFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';
import { AUDIENCE, ISSUER, type TokenIssuer, sha256Hex, tokenIssuer } from './auth-helpers.js';

/** Who may write: the write grant, decided before any AWS call, and reads unaffected by it. */

const CREATE = `mutation($input: CreateEventStreamInput!) { createEventStream(input: $input) { __typename } }`;
const READ = '{ eventStream(domainName: "retail", name: "orders") { name } }';
const input = (name: string, uri = kinesisStream('us-east-1', 'kds')) => ({
  input: { domainName: 'retail', name, uri },
});

function expectForbidden(res: Awaited<ReturnType<Stack['query']>>) {
  expect(res.status).toBe(403);
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
}

describe('production without authentication', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ mode: 'gateway', fixtures: writableFixtures(), env: { NODE_ENV: 'production' } });
  });
  afterAll(() => stack?.close());

  it('refuses every mutation, FORBIDDEN at zero AWS calls, whatever its input', async () => {
    stack.resetCalls();
    expectForbidden(await stack.query(CREATE, input('nobody-may')));
    // An input the argument rules would refuse is refused for the grant first: nothing about it is checked.
    expectForbidden(await stack.query(CREATE, input('nobody-may', 'https://example.com')));
    expectForbidden(
      await stack.query(`mutation($arn: String!) { deleteEventTracker(input: { arn: $arn }) { deletedId } }`, {
        arn: arns.tracker('shop-tracker'),
      }),
    );
    expect(stack.totalCalls()).toBe(0);
  });

  it('refuses a mutation in its resolver too, for paths that skip the operation check', async () => {
    const ctx = await createContext(stack.gateway.services);
    stack.resetCalls();
    await expect(eventStreamMutations.createEventStream(ctx, input('nobody-may'))).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN' },
    });
    expect(ctx.audit).toEqual([expect.objectContaining({ operation: 'createEventStream', outcome: 'FORBIDDEN' })]);
    expect(stack.totalCalls()).toBe(0);
  });

  it('still answers queries', async () => {
    const res = await stack.query(READ);
    expect(res.data?.eventStream).toEqual({ name: 'orders' });
  });
});

describe('development without authentication', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ mode: 'gateway', fixtures: writableFixtures(), env: { NODE_ENV: 'development' } });
  });
  afterAll(() => stack?.close());

  it('lets anyone write', async () => {
    const res = await stack.query(CREATE, input('anyone-may'));
    expect(res.errors).toBeUndefined();
  });
});

describe('API keys', () => {
  const WRITER = 'writer-key-0123456789abcdef0123456789abcdef';
  const VIEWER = 'viewer-key-0123456789abcdef0123456789abcdef';
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      mode: 'gateway',
      fixtures: writableFixtures(),
      env: {
        NODE_ENV: 'production',
        API_KEYS: `ci=sha256:${sha256Hex(WRITER)},dashboard=sha256:${sha256Hex(VIEWER)}`,
        WRITE_API_KEYS: 'ci',
      },
    });
  });
  afterAll(() => stack?.close());

  it('lets the keys named in WRITE_API_KEYS write', async () => {
    stack.resetCalls();
    const res = await stack.query(CREATE, input('by-ci'), { 'x-api-key': WRITER });
    expect(res.errors).toBeUndefined();
    expect(stack.calls()).toEqual({ 'profile:CreateEventStream': 1 });
  });

  it('refuses other keys, FORBIDDEN at zero AWS calls, and lets them read', async () => {
    stack.resetCalls();
    expectForbidden(await stack.query(CREATE, input('by-dashboard'), { 'x-api-key': VIEWER }));
    expect(stack.totalCalls()).toBe(0);
    expect((await stack.query(READ, undefined, { 'x-api-key': VIEWER })).data?.eventStream).toEqual({
      name: 'orders',
    });
  });

  it('refuses a WRITE_API_KEYS name that API_KEYS does not have', () => {
    expect(() =>
      loadConfig('gateway', { API_KEYS: `ci=sha256:${sha256Hex(WRITER)}`, WRITE_API_KEYS: 'ci,admin' }),
    ).toThrow(ConfigError);
    try {
      loadConfig('gateway', { API_KEYS: `ci=sha256:${sha256Hex(WRITER)}`, WRITE_API_KEYS: 'ci,admin' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual(['WRITE_API_KEYS: admin is not named in API_KEYS']);
    }
  });
});

describe('JWTs', () => {
  let issuer: TokenIssuer;
  let stack: Stack;
  beforeAll(async () => {
    issuer = await tokenIssuer();
    stack = await startStack({
      mode: 'gateway',
      fixtures: writableFixtures(),
      env: { NODE_ENV: 'production', JWKS_FILE: issuer.jwksFile, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE },
    });
  });
  afterAll(() => stack?.close());

  const bearer = async (claims: Record<string, unknown>) => ({
    authorization: `Bearer ${await issuer.sign({ sub: 'someone', ...claims })}`,
  });

  it('lets tokens whose scope (space-separated) or scp (a list) holds aws-events-graph:write write', async () => {
    const scope = await stack.query(
      CREATE,
      input('by-scope'),
      await bearer({ scope: 'openid aws-events-graph:write' }),
    );
    expect(scope.errors).toBeUndefined();
    const scp = await stack.query(CREATE, input('by-scp'), await bearer({ scp: ['aws-events-graph:write'] }));
    expect(scp.errors).toBeUndefined();
  });

  it('refuses tokens without the scope, FORBIDDEN at zero AWS calls', async () => {
    stack.resetCalls();
    expectForbidden(await stack.query(CREATE, input('no-scope'), await bearer({ scope: 'openid profile' })));
    expectForbidden(await stack.query(CREATE, input('no-scope'), await bearer({ scope: 'aws-events-graph:writer' })));
    expectForbidden(await stack.query(CREATE, input('no-scope'), await bearer({})));
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('writeGrant', () => {
  const settings = { anonymous: false, apiKeys: new Set(['ci']), jwtScope: 'streams:write' };

  it('follows JWT_WRITE_SCOPE, key names and the anonymous rule', () => {
    expect(writeGrant({ id: 'jwt:a', kind: 'jwt', scopes: ['streams:write'] }, settings)).toBe(true);
    expect(writeGrant({ id: 'jwt:a', kind: 'jwt', scopes: ['aws-events-graph:write'] }, settings)).toBe(false);
    expect(writeGrant({ id: 'key:ci', kind: 'api-key' }, settings)).toBe(true);
    expect(writeGrant({ id: 'key:cir', kind: 'api-key' }, settings)).toBe(false);
    expect(writeGrant({ id: 'ip:127.0.0.1', kind: 'anonymous' }, settings)).toBe(false);
    expect(writeGrant({ id: 'ip:127.0.0.1', kind: 'anonymous' }, { ...settings, anonymous: true })).toBe(true);
    expect(writeGrant(null, { ...settings, anonymous: true })).toBe(false);
  });

  it('lets anyone write in development and the demo, and nobody in production, without authentication', () => {
    expect(loadConfig('gateway', { NODE_ENV: 'development' }).writes.anonymous).toBe(true);
    expect(loadConfig('gateway', { NODE_ENV: 'production' }).writes.anonymous).toBe(false);
    expect(loadConfig('demo', { NODE_ENV: 'production' }).writes.anonymous).toBe(true);
  });
});
