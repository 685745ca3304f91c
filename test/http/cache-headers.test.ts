import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/**
 * The HTTP `Cache-Control` header a response carries follows the cache hints of what it contains: the shortest
 * lifetime of any resource in it (src/cache/ttl-policy.ts), so browsers, CDNs and routers cache exactly as long as
 * the gateway's own cache would.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fixtures: gatewayFixtures() });
});
afterAll(() => stack?.close());

function maxAge(header: string | null): number | undefined {
  const match = /^max-age=(\d+), (public|private)$/.exec(header ?? '');
  return match ? Number(match[1]) : undefined;
}

describe('Cache-Control follows the cache hints', () => {
  it('lets a resolved internet event be cached for a long time', async () => {
    const res = await stack.query(
      `{ internetEvent(eventId: "evt-resolved-1") { eventId status endedAt clientLocation { city } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.internetEvent.status).toBe('RESOLVED');
    const age = maxAge(res.headers.get('cache-control'));
    expect(age).toBeGreaterThan(600);
    expect(age).toBeLessThanOrEqual(3600);
  });

  it('keeps an active internet event short-lived', async () => {
    const res = await stack.query(`{ internetEvent(eventId: "evt-active-1") { eventId status } }`);
    expect(res.data?.internetEvent.status).toBe('ACTIVE');
    const age = maxAge(res.headers.get('cache-control'));
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThanOrEqual(30);
  });

  it('gives a query touching a tracker in a transitional state a max-age of a few seconds', async () => {
    const res = await stack.query(`query($a: String!) { eventTracker(arn: $a) { name status } }`, {
      a: arns.tracker('video-tracker'),
    });
    expect(res.data?.eventTracker.status).toBe('CREATE_IN_PROGRESS');
    const age = maxAge(res.headers.get('cache-control'));
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThanOrEqual(5);
  });

  it('takes the shortest lifetime when one response mixes long- and short-lived resources', async () => {
    const res = await stack.query(
      `query($a: String!) {
      internetEvent(eventId: "evt-resolved-1") { status }
      eventTracker(arn: $a) { status }
    }`,
      { a: arns.tracker('video-tracker') },
    );
    expect(res.errors).toBeUndefined();
    expect(maxAge(res.headers.get('cache-control'))).toBeLessThanOrEqual(5);
  });

  it('forbids storing a response that carries errors, even alongside cacheable data', async () => {
    const res = await stack.query(`{
      ok: internetEvent(eventId: "evt-resolved-1") { status }
      missing: internetEvent(eventId: "evt-not-there") { status }
    }`);
    expect(res.data?.ok.status).toBe('RESOLVED');
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('forbids storing a response to an invalid request', async () => {
    const res = await stack.query(`{ internetEvent(eventId: 42) { status } }`);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
