import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';
import { sha256Hex } from './auth-helpers.js';

/** `_service { sdl }` is the whole schema: served only where FEDERATION_SDL or a router's credential allows. */

const SDL = '{ _service { sdl } }';
const ROUTER_KEY = 'k_router_Zq8vN2xL5mP0wR7tY4uI1oA3sD6fG9hJ';
const APP_KEY = 'k_app_Hn4bV7cX0zL3kJ6gF9dS2aQ5wE8rT1yU';

function expectRefused(res: Awaited<ReturnType<Stack['query']>>) {
  // Refusals in GraphQL are 200 for application/json (GraphQL over HTTP), 400 for graphql-response+json.
  expect(res.status).toBe(200);
  expect(res.data ?? null).toBeNull();
  expect(res.errors).toEqual([
    {
      message: expect.stringMatching(/not served to this caller.*npm run schema:print/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    },
  ]);
}

describe('_service in production', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: {
        NODE_ENV: 'production',
        API_KEYS: `router=sha256:${sha256Hex(ROUTER_KEY)},app=sha256:${sha256Hex(APP_KEY)}`,
        FEDERATION_SDL_CALLERS: 'key:router',
      },
    });
  });
  afterAll(() => stack?.close());

  it('refuses the SDL to a caller without a router credential', async () => {
    expectRefused(await stack.query(SDL, undefined, { 'x-api-key': APP_KEY }));
  });

  it('refuses it through an alias and a fragment too', async () => {
    expectRefused(
      await stack.query('{ ...F } fragment F on Query { schema: _service { sdl } }', undefined, {
        'x-api-key': APP_KEY,
      }),
    );
  });

  it('serves it to a router named in FEDERATION_SDL_CALLERS', async () => {
    const res = await stack.query(SDL, undefined, { 'x-api-key': ROUTER_KEY });
    expect(res.errors).toBeUndefined();
    expect(res.data!._service.sdl).toMatch(/type EventStream/);
  });

  it('still answers entity references, which routers need with any credential', async () => {
    const res = await stack.query(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on InternetEvent { eventId } } }',
      { r: [{ __typename: 'InternetEvent', eventId: 'evt-active-1' }] },
      { 'x-api-key': APP_KEY },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([{ eventId: 'evt-active-1' }]);
  });
});

describe('_service by setting', () => {
  it('is off in production by default and on elsewhere, and FEDERATION_SDL decides', () => {
    expect(loadConfig('gateway', { NODE_ENV: 'production' }).security.federation.sdlForEveryone).toBe(false);
    expect(loadConfig('gateway', {}).security.federation.sdlForEveryone).toBe(true);
    const on = loadConfig('gateway', { NODE_ENV: 'production', FEDERATION_SDL: 'on' });
    expect(on.security.federation.sdlForEveryone).toBe(true);
    expect(loadConfig('gateway', { FEDERATION_SDL: 'off' }).security.federation.sdlForEveryone).toBe(false);
    expect(() => loadConfig('gateway', { FEDERATION_SDL_CALLERS: 'router' })).toThrow(/FEDERATION_SDL_CALLERS/);
  });

  it('serves everyone with FEDERATION_SDL=on in production', async () => {
    const stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { NODE_ENV: 'production', FEDERATION_SDL: 'on' },
    });
    try {
      expect((await stack.query(SDL)).data!._service.sdl).toMatch(/type InternetEvent/);
    } finally {
      await stack.close();
    }
  });

  it('refuses everyone with FEDERATION_SDL=off, even in development', async () => {
    const stack = await startStack({ fixtures: gatewayFixtures(), env: { FEDERATION_SDL: 'off' } });
    try {
      expectRefused(await stack.query(SDL));
    } finally {
      await stack.close();
    }
  });
});
