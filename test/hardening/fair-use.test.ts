import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type PrivateRedis, startRedis, waitFor } from '../helpers/redis.js';
import { type Stack, startStack } from '../helpers/stack.js';
import { sha256Hex } from './auth-helpers.js';

/**
 * Fair use of AWS: what one caller asks of AWS cannot take it away from the others. A per-caller quota of AWS
 * calls (a token bucket, shared by replicas through Redis), `no-cache` that joins calls in flight and is itself
 * limited, breakers that a miss never moves and that one caller's failures open for that caller only.
 */

const FRESH = { 'cache-control': 'no-cache' };
const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...headers });
const ghost = () => arns.tracker(`ghost-${randomUUID().slice(0, 8)}`);

function countsOf(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return out;
}

async function metricsOf(stack: Stack): Promise<string> {
  return (await fetch(stack.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
}

describe('misses and circuit breakers', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { CACHE_STORE: 'none', CIRCUIT_FAILURE_THRESHOLD: '2', CIRCUIT_MIN_CALLS: '2' },
    });
  });
  afterAll(() => stack?.close());

  it('never counts NotFound as a failure: 30 misses in every service leave every circuit closed', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await stack.query(
        `query($t: String!) {
          eventStream(domainName: "retail", name: "gone-${i}") { name }
          eventTracker(arn: $t) { name }
          internetEvent(eventId: "evt-gone-${i}") { eventId }
        }`,
        { t: ghost() },
      );
      expect(res.errors!.map((e) => e.extensions!.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    }
    const metrics = await metricsOf(stack);
    for (const service of ['profile', 'personalize', 'internetmonitor'])
      expect(metrics).toMatch(new RegExp(`gateway_aws_circuit_state\\{service="${service}",region="us-east-1"\\} 0`));
    expect(metrics).not.toMatch(/reason="circuit_open"/);
    const ok = await stack.query('{ internetEvent(eventId: "evt-active-1") { eventId } }');
    expect(ok.errors).toBeUndefined();
  });
});

describe('circuit breakers per caller', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: {
        CACHE_STORE: 'none',
        AWS_MAX_ATTEMPTS: '1',
        CIRCUIT_FAILURE_THRESHOLD: '3',
        CIRCUIT_COOLDOWN_MS: '60000',
        TRUST_PROXY: 'loopback',
      },
    });
  });
  afterAll(() => stack?.close());
  afterEach(() => stack.emulator.clearFaults());

  it("opens one caller's circuit on its failures, and leaves another caller's calls to the service alone", async () => {
    // Only the attacker's operation fails at AWS: its list calls.
    stack.emulator.setFaults({ rules: [{ service: 'personalize', operation: 'ListEventTrackers', errorRate: 1 }] });
    const attacker = from('203.0.113.66');
    for (let i = 0; i < 3; i++) {
      const res = await stack.query('{ eventTrackers(first: 5) { nodes { name } } }', undefined, attacker);
      expect(res.errors![0]!.extensions!.code).toBe('UPSTREAM_UNAVAILABLE');
    }
    const shed = await stack.query('{ eventTrackers(first: 5) { nodes { name } } }', undefined, attacker);
    expect(shed.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', circuit: 'open' });

    const victim = await stack.query(
      'query($t: String!) { eventTracker(arn: $t) { name } }',
      { t: arns.tracker('shop-tracker') },
      from('203.0.113.7'),
    );
    expect(victim.errors).toBeUndefined();
    expect(victim.data).toEqual({ eventTracker: { name: 'shop-tracker' } });
    // The metric shows the worst circuit of the service: one caller's is open.
    expect(await metricsOf(stack)).toMatch(/gateway_aws_circuit_state\{service="personalize",region="us-east-1"\} 2/);
  });
});

describe('Cache-Control: no-cache', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { CALLER_NO_CACHE_PER_SECOND: '0.01', CALLER_NO_CACHE_BURST: '2', TRUST_PROXY: 'loopback' },
    });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());
  afterEach(() => stack.emulator.clearFaults());

  const EVENT = '{ internetEvent(eventId: "evt-active-1") { eventId status } }';

  it('joins the AWS call already in flight for the same resource: five requests, one call', async () => {
    stack.emulator.setFaults({ rules: [{ service: 'internetmonitor', latencyMs: 1_000 }] });
    const first = stack.query(EVENT, undefined, from('203.0.113.30', FRESH));
    // The first request's call has reached AWS and is held there by the latency.
    await waitFor('the first call to be in flight', () => stack.totalCalls() === 1);
    const others = [1, 2, 3, 4].map((i) => stack.query(EVENT, undefined, from(`203.0.113.3${i}`, FRESH)));
    const answers = await Promise.all([first, ...others]);
    for (const answer of answers)
      expect(answer.data).toEqual({ internetEvent: { eventId: 'evt-active-1', status: 'ACTIVE' } });
    expect(stack.calls()).toEqual({ 'internetmonitor:GetInternetEvent': 1 });
  });

  it('is honoured CALLER_NO_CACHE_BURST times per caller, then the caches answer', async () => {
    const caller = from('203.0.113.40', FRESH);
    for (let i = 0; i < 5; i++) expect((await stack.query(EVENT, undefined, caller)).errors).toBeUndefined();
    expect(stack.calls()).toEqual({ 'internetmonitor:GetInternetEvent': 2 });
    // Another caller still gets fresh data.
    await stack.query(EVENT, undefined, from('203.0.113.41', FRESH));
    expect(stack.calls()).toEqual({ 'internetmonitor:GetInternetEvent': 3 });
  });
});

describe('AWS calls per caller', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: {
        CACHE_STORE: 'none',
        CALLER_AWS_CALLS_PER_SECOND: '0.01',
        CALLER_AWS_CALL_BURST: '5',
        TRUST_PROXY: 'loopback',
      },
    });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());

  const EIGHT = `query(${Array.from({ length: 8 }, (_, i) => `$t${i}: String!`).join(', ')}) {
    ${Array.from({ length: 8 }, (_, i) => `t${i}: eventTracker(arn: $t${i}) { name trackingId }`).join('\n')}
  }`;
  const eightGhosts = () => Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`t${i}`, ghost()]));

  it('makes a caller’s first CALLER_AWS_CALL_BURST calls and refuses the rest with RATE_LIMITED', async () => {
    const res = await stack.query(EIGHT, eightGhosts(), from('203.0.113.50'));
    expect(stack.calls()).toEqual({ 'personalize:DescribeEventTracker': 5 });
    const codes = res.errors!.map((e) => e.extensions!.code).sort();
    expect(codes).toEqual([...Array(5).fill('NOT_FOUND'), ...Array(3).fill('RATE_LIMITED')]);
    const limited = res.errors!.find((e) => e.extensions!.code === 'RATE_LIMITED')!;
    expect(limited.extensions).toMatchObject({ service: 'personalize', retryAfterSeconds: expect.any(Number) });
    expect(await metricsOf(stack)).toMatch(/gateway_aws_calls_shed_total\{[^}]*reason="caller_quota"\} 3/);
  });

  it('gives every caller a quota of its own', async () => {
    await stack.query(EIGHT, eightGhosts(), from('203.0.113.51'));
    expect(stack.totalCalls()).toBe(5);
  });
});

describe('AWS calls per caller, across replicas through Redis', () => {
  let redis: PrivateRedis;
  let first: Stack;
  let second: Stack;
  beforeAll(async () => {
    redis = await startRedis();
    const env = {
      REDIS_URL: redis.url,
      CACHE_STORE: 'none',
      CACHE_KEY_PREFIX: `test:${randomUUID()}:`,
      CALLER_AWS_CALLS_PER_SECOND: '0.01',
      CALLER_AWS_CALL_BURST: '5',
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

  it('lets a caller spend its quota once across both replicas', async () => {
    const lookups = async (stack: Stack) =>
      (await stack.query('query($t: String!) { eventTracker(arn: $t) { name } }', { t: ghost() })).errors![0]!
        .extensions!.code;
    const codes = [];
    for (let i = 0; i < 7; i++) codes.push(await lookups(i % 2 === 0 ? first : second));
    expect(codes).toEqual([...Array(5).fill('NOT_FOUND'), 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(first.totalCalls() + second.totalCalls()).toBe(5);
  });
});

describe("the issue's scenario: one caller floods fresh id lists while AWS throttles the account", () => {
  const ATTACKER = 'k_attacker_Tg5hY8jU1iK4oL7pZ0xC3vB6nM9qW2eR';
  const VICTIM = 'k_victim_Fd2sA5gH8jK1lZ4xC7vB0nM3qW6eR9tY';
  const VICTIM_REQUESTS = 30;
  let stack: Stack;
  beforeAll(async () => {
    // The production defaults: 50 requests/s per caller, 20 AWS calls/s per caller (burst 200), no-cache 1/s.
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: {
        NODE_ENV: 'production',
        API_KEYS: `attacker=sha256:${sha256Hex(ATTACKER)},victim=sha256:${sha256Hex(VICTIM)}`,
      },
    });
  });
  afterAll(() => stack?.close());

  it('keeps at least 90 % of the victim’s lookups answered', async () => {
    // Personalize throttles the account above 50 calls/s, whoever makes them.
    stack.emulator.setFaults({ rules: [{ service: 'personalize', throttleAboveRps: 50, latencyMs: 5 }] });
    let victimDone = false;
    let attackerRequests = 0;
    const attack = async () => {
      for (let i = 0; i < 200 && !victimDone; i++) {
        attackerRequests++;
        const ids = Array.from({ length: 100 }, ghost);
        // trackingId is not in list summaries: one DescribeEventTracker per id.
        await stack.query(
          'query($ids: [ID!]!) { nodes(ids: $ids) { ... on EventTracker { trackingId } } }',
          { ids },
          {
            'x-api-key': ATTACKER,
            ...FRESH,
          },
        );
      }
    };
    const attackers = Array.from({ length: 4 }, attack);
    // The attack is under way: AWS has been asked at least one full list of ids.
    await waitFor('the attack to reach AWS', () => stack.totalCalls() >= 100);

    const outcomes: string[] = [];
    try {
      for (let i = 0; i < VICTIM_REQUESTS; i++) {
        // A fresh id each time: every lookup costs the victim one AWS call.
        const res = await stack.query(
          'query($id: ID!) { node(id: $id) { id } }',
          { id: ghost() },
          {
            'x-api-key': VICTIM,
          },
        );
        outcomes.push(
          res.status === 200 && !res.errors && res.data?.node === null
            ? 'ok'
            : String(res.errors?.[0]?.extensions?.code ?? res.status),
        );
      }
    } finally {
      victimDone = true;
      await Promise.all(attackers);
      stack.emulator.clearFaults();
    }
    const answered = outcomes.filter((o) => o === 'ok').length;
    const metrics = await metricsOf(stack);
    const figures = {
      victim: { requests: VICTIM_REQUESTS, answered, outcomes: countsOf(outcomes) },
      attacker: { requests: attackerRequests },
      awsCallsServed: stack.calls(),
      shedByReason: Object.fromEntries(
        [
          ...metrics.matchAll(
            /gateway_aws_calls_shed_total\{service="personalize",region="us-east-1",reason="(\w+)"\} (\d+)/g,
          ),
        ].map((m) => [m[1], Number(m[2])]),
      ),
      throttledCalls: Number(
        /gateway_aws_calls_total\{[^}]*operation="DescribeEventTracker"[^}]*outcome="THROTTLED"\} (\d+)/.exec(
          metrics,
        )?.[1] ?? 0,
      ),
    };
    mkdirSync('test-results', { recursive: true });
    writeFileSync('test-results/fair-use.json', `${JSON.stringify(figures, null, 2)}\n`);
    expect(attackerRequests).toBeGreaterThan(4);
    expect(answered / VICTIM_REQUESTS, outcomes.join(' ')).toBeGreaterThanOrEqual(0.9);
  });
});
