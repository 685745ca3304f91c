import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type Gateway, startGateway } from '../../src/server.js';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

function preflight(url: string, origin: string) {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,authorization',
    },
  });
}

function post(url: string, origin: string) {
  return fetch(url, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
}

describe('CORS with an allowlist', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures(), env: { CORS_ORIGINS: `${APP},http://localhost:5173` } });
  });
  afterAll(() => stack?.close());

  it('answers a preflight from an allowed origin', async () => {
    const res = await preflight(stack.gateway.url, APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,authorization');
    expect(res.headers.get('access-control-max-age')).toBe('600');
    expect(res.headers.get('vary')).toMatch(/origin/i);
  });

  it('lets an allowed origin read the response and its request id', async () => {
    const res = await post(stack.gateway.url, APP);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toBe('x-request-id');
    expect(res.headers.get('vary')).toMatch(/origin/i);
  });

  it('gives an origin that is not listed no CORS headers, on the preflight or the request', async () => {
    const pre = await preflight(stack.gateway.url, OTHER);
    expect(pre.status).not.toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-methods')).toBeNull();
    const res = await post(stack.gateway.url, OTHER);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS defaults', () => {
  it('is open to any origin in the demo', async () => {
    const stack = await startStack({ fixtures: gatewayFixtures() });
    try {
      const res = await preflight(stack.gateway.url, OTHER);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await stack.close();
    }
  });

  it('is closed to every other origin outside the demo unless CORS_ORIGINS lists it', async () => {
    let gateway: Gateway | undefined;
    try {
      gateway = await startGateway(loadConfig('gateway', { PORT: '0', LOG_LEVEL: 'silent' }));
      const pre = await preflight(gateway.url, APP);
      expect(pre.headers.get('access-control-allow-origin')).toBeNull();
      expect(pre.status).not.toBe(204);
      const res = await post(gateway.url, APP);
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await gateway?.close();
    }
  });
});
