import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Fixtures, FixturesDocument } from '../../src/emulator/index.js';
import { ESTATE_ENV, MEMBER, OWN, estateFixtures, kinesisArn, streamArn } from '../helpers/estate.js';
import { ACCOUNT, gatewayFixtures, kinesisStream } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/*
 * Throttling at scale: the gateway's own rate limit per (account, region, service, operation) learns the rate AWS
 * allows from its throttling errors and paces every request's calls to it, so that a burst of requests is slowed
 * down instead of failing, while other scopes keep their rate. The emulator throttles above a rate per second
 * (`throttleAboveRps`), as AWS does above an operation's quota.
 */

const FRESH = { 'cache-control': 'no-cache' };
const BURST = 16;
const LOOKUP = 'query($n: String!, $r: String) { eventStream(domainName: "burst", name: $n, region: $r) { name } }';
const streamName = (i: number) => `burst-${String(i).padStart(2, '0')}`;

/** BURST streams in a domain `burst`: one distinct lookup per request. */
function burstDomain(uri: (name: string) => string) {
  const eventStreams = Array.from({ length: BURST }, (_, i) => ({
    EventStreamName: streamName(i),
    CreatedAt: '2024-02-01T08:00:00Z',
    State: 'RUNNING',
    DestinationDetails: { Uri: uri(streamName(i)), Status: 'HEALTHY' },
  }));
  return { DomainName: 'burst', eventStreams };
}

/** The gateway's fixtures plus the `burst` domain in both regions. */
function burstFixtures(): Fixtures {
  const fixtures = gatewayFixtures();
  for (const [region, data] of Object.entries(fixtures.regions ?? {}))
    data.customerProfiles?.domains.push(burstDomain((name) => kinesisStream(region, name)));
  return fixtures;
}

/** The estate's fixtures (the gateway's own account and a member account) plus the `burst` domain in us-east-1. */
function burstEstate(): FixturesDocument {
  const fixtures = estateFixtures();
  if (!('accounts' in fixtures)) throw new Error('the estate fixtures have accounts');
  for (const [account, data] of Object.entries(fixtures.accounts))
    data.regions['us-east-1']?.customerProfiles?.domains.push(
      burstDomain((name) => kinesisArn(account, 'us-east-1', name)),
    );
  return fixtures;
}
/** AWS's rate for GetEventStream in us-east-1, below the gateway's assumed one: the gateway has to learn it. */
const THROTTLED = {
  service: 'profile',
  operation: 'GetEventStream',
  region: 'us-east-1',
  throttleAboveRps: 5,
} as const;
/** A quota for every operation (none is declared for these) below AWS's rate, one request at a time. */
const QUOTA = { AWS_LIMITER_PER_SECOND: '4', AWS_LIMITER_BURST: '1' };
const BASE_ENV = {
  CACHE_STORE: 'none',
  AWS_MAX_ATTEMPTS: '3',
  CIRCUIT_FAILURE_THRESHOLD: '0',
  OPERATION_TIMEOUT_MS: '30000',
};

async function metricsOf(stack: Stack): Promise<string> {
  return (await fetch(stack.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
}

/** The value of one series, matched on the labels given; undefined when there is none. */
function series(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** `count` requests at once, each for another stream (identical lookups in flight would share one call). */
function lookups(stack: Stack, region: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, (_, i) => stack.query(LOOKUP, { n: streamName(i), r: region }, FRESH)),
  );
}

function codesOf(answers: Awaited<ReturnType<typeof lookups>>): string[] {
  return answers.flatMap((a) => (a.errors ?? []).map((e) => String(e.extensions?.code)));
}

describe('a throttled operation', () => {
  let stack: Stack;
  beforeAll(async () => {
    // The limiter's defaults: an operation without a documented quota is unlimited until AWS throttles it.
    stack = await startStack({ fixtures: burstFixtures(), env: BASE_ENV });
  });
  afterAll(() => stack?.close());
  afterEach(() => stack.emulator.clearFaults());

  it('slows to the rate AWS allows instead of failing: every request of a burst is answered', async () => {
    stack.emulator.setFaults({ rules: [THROTTLED] });
    stack.resetCalls();
    const answers = await lookups(stack, 'us-east-1', BURST);
    expect(codesOf(answers)).toEqual([]);
    expect(answers.map((a) => a.data?.eventStream?.name)).toEqual(
      Array.from({ length: BURST }, (_, i) => streamName(i)),
    );
    // AWS did throttle (some attempts were retried), and the gateway's rate for the scope came down.
    expect(stack.calls()['profile:GetEventStream']).toBeGreaterThan(BURST);
    const metrics = await metricsOf(stack);
    const scope = { operation: 'GetEventStream', region: 'us-east-1' };
    const rate = series(metrics, 'gateway_aws_limiter_rate', scope)!;
    expect(rate).toBeGreaterThan(0);
    // Below the rate it was throttled at, the quota of a scope without a documented one.
    expect(rate).toBeLessThan(series(metrics, 'gateway_aws_limiter_quota', scope)!);
    expect(series(metrics, 'gateway_aws_limiter_throttled_accounts', scope)).toBe(1);
    expect(series(metrics, 'gateway_aws_limiter_wait_seconds_count', scope)).toBeGreaterThan(0);
  });

  it('leaves another region of the same operation its full rate', async () => {
    stack.emulator.setFaults({ rules: [THROTTLED] });
    await lookups(stack, 'us-east-1', 8);
    stack.resetCalls();
    const answers = await lookups(stack, 'eu-west-1', 8);
    expect(codesOf(answers)).toEqual([]);
    // Not one throttle, not one retry: one call per request.
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 8 });
    const metrics = await metricsOf(stack);
    // Not one of them waited for a token there.
    expect(
      series(metrics, 'gateway_aws_limiter_wait_seconds_count', { operation: 'GetEventStream', region: 'eu-west-1' }),
    ).toBe(undefined);
    // Unlimited there: no series; throttled in us-east-1.
    expect(series(metrics, 'gateway_aws_limiter_rate', { operation: 'GetEventStream', region: 'eu-west-1' })).toBe(
      undefined,
    );
    expect(
      series(metrics, 'gateway_aws_limiter_throttled_accounts', { operation: 'GetEventStream', region: 'us-east-1' }),
    ).toBe(1);
  });
});

describe('a throttled account', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: burstEstate(), env: { ...BASE_ENV, ...ESTATE_ENV } });
  });
  afterAll(() => stack?.close());
  afterEach(() => stack.emulator.clearFaults());

  const NODE = 'query($id: ID!) { node(id: $id) { ... on EventStream { name accountId } } }';
  const nodes = (account: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        stack.query(NODE, { id: streamArn(account, 'us-east-1', 'burst', streamName(i)) }, FRESH),
      ),
    );
  const waits = async () =>
    series(await metricsOf(stack), 'gateway_aws_limiter_wait_seconds_count', {
      operation: 'GetEventStream',
      region: 'us-east-1',
    }) ?? 0;

  it('slows that account only: another account calls the same operation in the same region at once', async () => {
    stack.emulator.setFaults({ rules: [{ ...THROTTLED, account: MEMBER }] });
    const member = await nodes(MEMBER, BURST);
    expect(codesOf(member)).toEqual([]);
    expect(member.map((a) => a.data?.node)).toEqual(
      Array.from({ length: BURST }, (_, i) => ({ name: streamName(i), accountId: MEMBER })),
    );
    const waitedBefore = await waits();
    expect(waitedBefore).toBeGreaterThan(0);
    stack.resetCalls();
    const own = await nodes(OWN, 8);
    expect(codesOf(own)).toEqual([]);
    // One call each, none waited for a token: the member account's rate is its own.
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 8 });
    expect(await waits()).toBe(waitedBefore);
    const metrics = await metricsOf(stack);
    const scope = { operation: 'GetEventStream', region: 'us-east-1' };
    expect(series(metrics, 'gateway_aws_limiter_throttled_accounts', scope)).toBe(1);
    // Account ids are no metric labels.
    expect(metrics).not.toMatch(new RegExp(`gateway_aws_limiter_[a-z_]+\\{[^}]*${MEMBER}`));
  });
});

describe('concurrency per account', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: burstEstate(),
      env: { ...BASE_ENV, ...ESTATE_ENV, AWS_MAX_CONCURRENCY: '1' },
    });
  });
  afterAll(() => stack?.close());
  afterEach(() => stack.emulator.clearFaults());

  it('lets an account call a service while another account’s calls to it in the same region are slow', async () => {
    stack.emulator.setFaults({ rules: [{ service: 'profile', account: MEMBER, latencyMs: 500 }] });
    const NODE = 'query($id: ID!) { node(id: $id) { ... on EventStream { name } } }';
    const lookup = (account: string, i: number) =>
      stack.query(NODE, { id: streamArn(account, 'us-east-1', 'burst', streamName(i)) }, FRESH);
    stack.resetCalls();
    let memberAnswered = 0;
    const member = [0, 1, 2].map(async (i) => {
      const answer = await lookup(MEMBER, i);
      memberAnswered++;
      return answer;
    });
    const memberCalls = () =>
      (stack.emulator.stats() as { byAccount?: Record<string, Record<string, number>> }).byAccount?.[MEMBER]?.[
        'profile:GetEventStream'
      ] ?? 0;
    // The member account's first call is at AWS (its only slot taken, two calls queued behind it).
    await vi.waitFor(() => expect(memberCalls()).toBe(1));
    const own = await lookup(OWN, 0);
    expect(own.data?.node).toEqual({ name: streamName(0) });
    expect(memberAnswered).toBe(0);
    expect(codesOf(await Promise.all(member))).toEqual([]);
  });
});

describe('an operation with a quota', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: burstFixtures(), env: { ...BASE_ENV, ...QUOTA } });
  });
  afterAll(() => stack?.close());
  afterEach(() => stack.emulator.clearFaults());

  it('is never sent above it: a burst waits in line for tokens, and AWS throttles none of it', async () => {
    stack.emulator.setFaults({ rules: [THROTTLED] });
    stack.resetCalls();
    const answers = await lookups(stack, 'us-east-1', 8);
    expect(codesOf(answers)).toEqual([]);
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 8 });
    const metrics = await metricsOf(stack);
    const scope = { operation: 'GetEventStream', region: 'us-east-1' };
    expect(series(metrics, 'gateway_aws_limiter_rate', scope)).toBe(4);
    expect(series(metrics, 'gateway_aws_limiter_throttled_accounts', scope)).toBe(0);
    // Seven of the eight waited, the last one 7/4 s.
    expect(series(metrics, 'gateway_aws_limiter_wait_seconds_count', scope)).toBe(7);
    expect(series(metrics, 'gateway_aws_limiter_wait_seconds_sum', scope)).toBeGreaterThan(6);
  });
});

describe('a rate that leaves no token before the deadline', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: burstFixtures(),
      env: {
        ...BASE_ENV,
        AWS_LIMITER_PER_SECOND: '1',
        AWS_LIMITER_BURST: '1',
        OPERATION_TIMEOUT_MS: '1500',
        // Shorter than the wait for the second token (3 attempts: 900 ms): the call's timeout counts from its send.
        AWS_CALL_TIMEOUT_MS: '300',
      },
    });
  });
  afterAll(() => stack?.close());

  it('refuses the call at once with THROTTLED, without calling AWS, and says so in metrics', async () => {
    stack.resetCalls();
    const answers = await lookups(stack, 'us-east-1', 4);
    // One token now, one a second later (within the operation's deadline, whatever the call's own timeout); the
    // next ones would come after the 1.5 s deadline.
    expect(answers.filter((a) => a.data?.eventStream)).toHaveLength(2);
    const refused = answers.flatMap((a) => a.errors ?? []);
    expect(refused).toHaveLength(2);
    for (const error of refused)
      expect(error.extensions).toMatchObject({
        code: 'THROTTLED',
        limiter: 'client',
        account: ACCOUNT,
        region: 'us-east-1',
        service: 'profile',
        operation: 'GetEventStream',
      });
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 2 });
    const metrics = await metricsOf(stack);
    expect(series(metrics, 'gateway_aws_calls_shed_total', { region: 'us-east-1', reason: 'rate_limit' })).toBe(2);
  });
});

describe('the same burst without the rate limit', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: burstFixtures(), env: { ...BASE_ENV, AWS_LIMITER: 'off' } });
  });
  afterAll(() => stack?.close());

  it('fails: the SDK’s retries alone give up while AWS keeps throttling', async () => {
    stack.emulator.setFaults({ rules: [THROTTLED] });
    const answers = await lookups(stack, 'us-east-1', BURST);
    expect(codesOf(answers)).toContain('THROTTLED');
    expect(await metricsOf(stack)).not.toContain('gateway_aws_limiter_rate{');
  });
});

describe('the AWS-call budget under the rate limit', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: burstFixtures(),
      env: { ...BASE_ENV, AWS_CALL_BUDGET: '5' },
    });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());
  afterEach(() => stack.emulator.clearFaults());

  it('counts every attempt, the ones that waited for a token included', async () => {
    // Every attempt throttled: three lookups would make nine attempts, each one waiting for a slower rate.
    stack.emulator.setFaults({ rules: [{ service: 'profile', region: 'us-east-1', throttleRate: 1 }] });
    const res = await stack.query(
      `{ a: eventStream(domainName: "retail", name: "orders") { name }
         b: eventStream(domainName: "bulk", name: "bulk-00") { name }
         c: eventStream(domainName: "bulk", name: "bulk-01") { name } }`,
      undefined,
      FRESH,
    );
    expect(res.data).toEqual({ a: null, b: null, c: null });
    expect(stack.totalCalls()).toBe(5);
    const codes = (res.errors ?? []).map((e) => e.extensions?.code);
    // Which field's call meets the budget first depends on timing; each ends throttled or refused by the budget.
    expect(codes).toContain('AWS_CALL_BUDGET_EXCEEDED');
    for (const code of codes) expect(['AWS_CALL_BUDGET_EXCEEDED', 'THROTTLED']).toContain(code);
  });
});

describe('errors of AWS calls', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: burstFixtures(), env: BASE_ENV });
  });
  afterAll(() => stack?.close());
  afterEach(() => stack.emulator.clearFaults());

  it('name the scope that failed: account, region, service, operation and code', async () => {
    stack.emulator.setFaults({ rules: [{ service: 'profile', region: 'eu-west-1', down: true }] });
    const res = await stack.query(
      `{ east: eventStream(domainName: "retail", name: "orders", region: "us-east-1") { name }
         west: eventStream(domainName: "retail", name: "orders", region: "eu-west-1") { name } }`,
      undefined,
      FRESH,
    );
    expect(res.data).toEqual({ east: { name: 'orders' }, west: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['west'],
      extensions: {
        code: 'UPSTREAM_UNAVAILABLE',
        account: ACCOUNT,
        accountId: ACCOUNT,
        region: 'eu-west-1',
        service: 'profile',
        operation: 'GetEventStream',
      },
    });
  });
});
