import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyRequest } from 'fastify';
import { ConfigError, loadConfig } from '../../src/config.js';
import { rateLimitKey } from '../../src/security/rate-limit.js';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type PrivateRedis, startRedis, waitFor } from '../helpers/redis.js';
import { type Stack, startStack } from '../helpers/stack.js';

/** No AWS call: only the HTTP layer (and so the rate limit) is exercised. */
const TYPENAME = '{ __typename }';

async function statuses(
  stack: Stack,
  count: number,
  headers: (i: number) => Record<string, string> = () => ({}),
): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await stack.query(TYPENAME, undefined, headers(i))).status);
  return out;
}

const times = (n: number, status: number) => Array.from({ length: n }, () => status);

describe('rate limit per caller (in memory)', () => {
  let stack: Stack;
  beforeAll(async () => {
    // TRUST_PROXY lets the test be many clients: each X-Forwarded-For address the loopback "proxy" reports is one.
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { RATE_LIMIT_PER_SECOND: '0.5', RATE_LIMIT_BURST: '3', TRUST_PROXY: 'loopback' },
    });
  });
  afterAll(() => stack?.close());
  const from = (address: string) => () => ({ 'x-forwarded-for': address });

  it('lets a burst through, then answers 429 RATE_LIMITED with the seconds until its window ends', async () => {
    expect(await statuses(stack, 3, from('203.0.113.1'))).toEqual([200, 200, 200]);
    const limited = await stack.query(TYPENAME, undefined, from('203.0.113.1')());
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    // burst / rate = a window of 6 s.
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(6);
    expect(limited.errors).toEqual([
      {
        message: expect.stringMatching(/Too many requests/),
        extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter },
      },
    ]);
  });

  it('counts each client address on its own', async () => {
    expect(await statuses(stack, 4, from('203.0.113.2'))).toEqual([200, 200, 200, 429]);
    expect(await statuses(stack, 1, from('203.0.113.3'))).toEqual([200]);
  });

  it('counts the addresses of one IPv6 /64 as one client, so a client cannot rotate through its own network', async () => {
    const statusesSeen = await statuses(stack, 4, (i) => ({ 'x-forwarded-for': `2001:db8:0:1::${i + 1}` }));
    expect(statusesSeen).toEqual([200, 200, 200, 429]);
  });
});

describe('rate limit keys', () => {
  const request = (caller: FastifyRequest['caller'], ip = '203.0.113.1') => ({ caller, ip }) as FastifyRequest;

  it('names authenticated callers by identity and anonymous ones by address', () => {
    expect(rateLimitKey(request({ id: 'key:ci', kind: 'api-key' }))).toBe('key:ci');
    expect(rateLimitKey(request({ id: 'ip:203.0.113.1', kind: 'anonymous' }))).toBe('ip:203.0.113.1');
    expect(rateLimitKey(request(null, '2001:db8:0:1:aaaa::1'))).toBe('ip:2001:db8:0:1::');
  });

  it('hashes a long identity, so one counter stays small in memory and in Redis', () => {
    const key = rateLimitKey(request({ id: `jwt:${'s'.repeat(5_000)}`, kind: 'jwt' }));
    expect(key).toMatch(/^sha256:[\w-]{43}$/);
    expect(rateLimitKey(request({ id: `jwt:${'s'.repeat(5_000)}`, kind: 'jwt' }))).toBe(key);
  });
});

describe('rate limit windows', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { RATE_LIMIT_PER_SECOND: '4', RATE_LIMIT_BURST: '2' },
    });
  });
  afterAll(() => stack?.close());

  it('lets a limited caller in again once its window (burst / rate = 500 ms) has passed', async () => {
    expect(await statuses(stack, 3)).toEqual([200, 200, 429]);
    await waitFor('the window to pass', async () => (await stack.query(TYPENAME)).status === 200, 5_000);
  });
});

describe('rate limit off', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures(), env: { RATE_LIMIT_PER_SECOND: '0' } });
  });
  afterAll(() => stack?.close());

  it('never refuses when the rate is 0', async () => {
    expect(await statuses(stack, 50)).toEqual(times(50, 200));
  });
});

describe('rate limit shared by replicas through Redis', () => {
  let redis: PrivateRedis;
  let first: Stack;
  let second: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    // Two gateways (each with its own emulator), one Redis, one key prefix: two replicas of one deployment.
    const env = {
      REDIS_URL: redis.url,
      CACHE_KEY_PREFIX: `test:${randomUUID()}:`,
      RATE_LIMIT_PER_SECOND: '0.1',
      RATE_LIMIT_BURST: '3',
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

  it('allows a caller its burst once across both replicas, not once per replica', async () => {
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) seen.push((await (i % 2 === 0 ? first : second).query(TYPENAME)).status);
    expect(seen).toEqual([200, 200, 200, ...times(5, 429)]);
  });

  it('keeps answering while Redis is dead, each replica then counting on its own', async () => {
    await redis.kill();
    const a = await statuses(first, 4);
    const b = await statuses(second, 4);
    // Never a 5xx: the caller gets each replica's own burst (fresh counters), then 429 again.
    expect(a).toEqual([200, 200, 200, 429]);
    expect(b).toEqual([200, 200, 200, 429]);
  });
});

describe('client address behind proxies (TRUST_PROXY)', () => {
  const env = { RATE_LIMIT_PER_SECOND: '0.1', RATE_LIMIT_BURST: '3' };
  /** What a client sends through one proxy: its own forged entries, then the address the proxy saw (appended). */
  const spoofed = (client: string) => (i: number) => ({
    'x-forwarded-for': `198.51.100.${i + 1}, 10.0.${i}.1, ${client}`,
  });

  it('takes the right-most address with TRUST_PROXY=1, so forged X-Forwarded-For entries buy no requests', async () => {
    const stack = await startStack({ fixtures: gatewayFixtures(), env: { ...env, TRUST_PROXY: '1' } });
    try {
      expect(await statuses(stack, 10, spoofed('203.0.113.7'))).toEqual([200, 200, 200, ...times(7, 429)]);
      // Another client behind the same proxy has its own count.
      expect(await statuses(stack, 1, spoofed('203.0.113.8'))).toEqual([200]);
    } finally {
      await stack.close();
    }
  });

  it('skips every trusted proxy address of a TRUST_PROXY list and takes the next one', async () => {
    const stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { ...env, TRUST_PROXY: '127.0.0.0/8,192.0.2.10' },
    });
    try {
      // Two proxies of ours (192.0.2.10, then the loopback peer) in front of the client 203.0.113.7.
      const twoHops = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i + 1}, 203.0.113.7, 192.0.2.10` });
      expect(await statuses(stack, 10, twoHops)).toEqual([200, 200, 200, ...times(7, 429)]);
    } finally {
      await stack.close();
    }
  });

  it('ignores X-Forwarded-For without TRUST_PROXY', async () => {
    const stack = await startStack({ fixtures: gatewayFixtures(), env });
    try {
      expect(await statuses(stack, 10, spoofed('203.0.113.7'))).toEqual([200, 200, 200, ...times(7, 429)]);
    } finally {
      await stack.close();
    }
  });

  it('refuses TRUST_PROXY=true, which would trust the entries the client writes, and malformed addresses', () => {
    expect(() => loadConfig('gateway', { TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig('gateway', { TRUST_PROXY: 'true' })).toThrow(/number of proxies/);
    expect(() => loadConfig('gateway', { TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig('gateway', { TRUST_PROXY: 'proxy.internal' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig('gateway', { TRUST_PROXY: '2' }).security.trustProxy).toBe(2);
    expect(loadConfig('gateway', { TRUST_PROXY: 'false' }).security.trustProxy).toBe(false);
    expect(loadConfig('gateway', { TRUST_PROXY: '10.0.0.0/8, fd00::/8,loopback' }).security.trustProxy).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
      'loopback',
    ]);
  });
});
