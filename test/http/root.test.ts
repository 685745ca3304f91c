import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

const INDEX = {
  service: 'aws-events-graph',
  graphql: '/graphql',
  health: '/healthz',
  readiness: '/readyz',
  metrics: '/metrics',
};

describe('GET / with the playground on (development, the demo)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures() });
  });
  afterAll(() => stack?.close());

  it.each([
    ['a browser', BROWSER_ACCEPT],
    ['a client that takes anything', '*/*'],
  ])('sends %s to the playground', async (_who, accept) => {
    const res = await fetch(new URL('/', stack.gateway.url), { headers: { accept }, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/graphql');
  });

  it('answers a client that asks for JSON alone with the index, at no AWS call', async () => {
    stack.resetCalls();
    const res = await fetch(new URL('/', stack.gateway.url), { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ...INDEX, playground: '/graphql' });
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('GET / with the playground off (production)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures(), env: { PLAYGROUND: 'false' } });
  });
  afterAll(() => stack?.close());

  it('answers every client, browsers included, with a small JSON index', async () => {
    const res = await fetch(new URL('/', stack.gateway.url), {
      headers: { accept: BROWSER_ACCEPT },
      redirect: 'manual',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(INDEX);
  });
});
