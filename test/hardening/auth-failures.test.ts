import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type PrivateRedis, startRedis } from '../helpers/redis.js';
import { type Stack, startStack } from '../helpers/stack.js';
import { sha256Hex } from './auth-helpers.js';

/**
 * Failed authentications are limited per client address (AUTH_FAILURE_LIMIT per minute), so guessing keys or
 * forging tokens stops after a few tries; CORS preflights count against the client's rate limit.
 */

const KEY = 'k_ok_Lp7mN3bV9cX1zQ5wE8rT2yU6iO4aS0dF';
const TYPENAME = JSON.stringify({ query: '{ __typename }' });

async function post(stack: Stack, headers: Record<string, string>) {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: TYPENAME,
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { errors?: any[] } };
}

const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...headers });
const wrongKey = (i: number) => ({ 'x-api-key': `k_wrong_${i}_${'x'.repeat(30)}` });

describe('failed authentication per client address', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { API_KEYS: `ok=sha256:${sha256Hex(KEY)}`, AUTH_FAILURE_LIMIT: '10', TRUST_PROXY: 'loopback' },
    });
  });
  afterAll(() => stack?.close());

  it('answers 15 wrong API keys from one address with 10 × 401, then 429 RATE_LIMITED with Retry-After', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 15; i++) {
      last = await post(stack, from('203.0.113.10', wrongKey(i)));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array(10).fill(401), ...Array(5).fill(429)]);
    const retryAfter = Number(last!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(6);
    expect(last!.body.errors).toEqual([
      {
        message: expect.stringMatching(/Too many failed authentications from this address/),
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter },
      },
    ]);
  });

  it('refuses that address even with a good key while it is blocked, without checking the key', async () => {
    expect((await post(stack, from('203.0.113.10', { 'x-api-key': KEY }))).status).toBe(429);
  });

  it('leaves other addresses alone', async () => {
    expect((await post(stack, from('203.0.113.11', { 'x-api-key': KEY }))).status).toBe(200);
    expect((await post(stack, from('203.0.113.11', wrongKey(0)))).status).toBe(401);
  });

  it('does not count requests that sent no credentials at all', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) statuses.push((await post(stack, from('203.0.113.12'))).status);
    expect(statuses).toEqual(Array(15).fill(401));
    expect((await post(stack, from('203.0.113.12', { 'x-api-key': KEY }))).status).toBe(200);
  });
});

describe('failed authentication counted across replicas through Redis', () => {
  let redis: PrivateRedis;
  let first: Stack;
  let second: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    const env = {
      REDIS_URL: redis.url,
      CACHE_KEY_PREFIX: `test:${randomUUID()}:`,
      API_KEYS: `ok=sha256:${sha256Hex(KEY)}`,
      AUTH_FAILURE_LIMIT: '6',
    };
    [first, second] = await Promise.all([
      startStack({ fixtures: gatewayFixtures(), env }),
      startStack({ fixtures: gatewayFixtures(), env }),
    ]);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await redis?.stop();
  });

  it('allows an address its failures once across both replicas, not once per replica', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post(i % 2 === 0 ? first : second, wrongKey(i))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
  });
});

describe('OPTIONS requests', () => {
  const APP = 'https://app.example.com';
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { CORS_ORIGINS: APP, RATE_LIMIT_PER_SECOND: '0.1', RATE_LIMIT_BURST: '3', TRUST_PROXY: 'loopback' },
    });
  });
  afterAll(() => stack?.close());

  const preflight = (address: string, origin = APP) =>
    fetch(stack.gateway.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'x-forwarded-for': address },
    });

  it('answers preflights from an allowed origin until the client address spends its rate, then 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await preflight('203.0.113.20')).status);
    expect(statuses).toEqual([204, 204, 204, 429, 429]);
    const limited = await preflight('203.0.113.20');
    expect(limited.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await limited.json()) as { errors: any[] }).errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('counts preflights and requests of one address together', async () => {
    expect((await preflight('203.0.113.21')).status).toBe(204);
    expect((await post(stack, from('203.0.113.21'))).status).toBe(200);
    expect((await post(stack, from('203.0.113.21'))).status).toBe(200);
    expect((await post(stack, from('203.0.113.21'))).status).toBe(429);
  });

  it('gives an origin that is not listed no CORS headers, and an answer in JSON', async () => {
    const res = await preflight('203.0.113.22', 'https://evil.example.net');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });
});
