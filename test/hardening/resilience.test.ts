import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

const ALL_THREE = `query($t: String!) {
  eventStream(domainName: "retail", name: "orders") { name }
  eventTracker(arn: $t) { name }
  internetEvent(eventId: "evt-active-1") { eventId }
}`;
const VARS = { t: arns.tracker('shop-tracker') };
const FRESH = { 'cache-control': 'no-cache' };

async function metricsOf(stack: Stack): Promise<string> {
  return (await fetch(stack.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
}

describe('retries', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { CACHE_STORE: 'none', AWS_MAX_ATTEMPTS: '3', CIRCUIT_FAILURE_THRESHOLD: '0' },
    });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());
  afterEach(() => stack.emulator.clearFaults());

  it.each([
    ['throttling', { throttleRate: 1 }, 'THROTTLED'],
    ['server errors', { errorRate: 1 }, 'UPSTREAM_UNAVAILABLE'],
    ['connection resets', { resetRate: 1 }, 'UPSTREAM_UNAVAILABLE'],
    ['a service that is down', { down: true }, 'UPSTREAM_UNAVAILABLE'],
  ])(
    'retries %s up to AWS_MAX_ATTEMPTS attempts in every service, then answers with %s',
    async (_case, fault, code) => {
      stack.emulator.setFaults({ rules: [fault] });
      const res = await stack.query(ALL_THREE, VARS, FRESH);
      expect(res.data).toEqual({ eventStream: null, eventTracker: null, internetEvent: null });
      expect(res.errors!.map((e) => e.extensions!.code)).toEqual([code, code, code]);
      expect(stack.calls()).toEqual({
        'profile:GetEventStream': 3,
        'personalize:DescribeEventTracker': 3,
        'internetmonitor:GetInternetEvent': 3,
      });
    },
  );

  it('keeps retrying on a long-lived Internet Monitor client (its SDK generation shared one retry count per client)', async () => {
    stack.emulator.setFaults({ rules: [{ service: 'internetmonitor', errorRate: 1 }] });
    for (let i = 0; i < 5; i++)
      await stack.query('{ internetEvent(eventId: "evt-active-1") { eventId } }', undefined, FRESH);
    expect(stack.calls()).toEqual({ 'internetmonitor:GetInternetEvent': 15 });
  });

  it('succeeds on a retry when a failure is transient', async () => {
    // Half the calls fail; with three attempts and a fixed seed, every field gets its data.
    stack.emulator.setFaults({ seed: 1, rules: [{ errorRate: 0.5 }] });
    const res = await stack.query(ALL_THREE, VARS, FRESH);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      eventStream: { name: 'orders' },
      eventTracker: { name: 'shop-tracker' },
      internetEvent: { eventId: 'evt-active-1' },
    });
    expect(stack.totalCalls()).toBeGreaterThan(3);
  });

  it('never retries what cannot succeed: a missing resource costs exactly one call per service', async () => {
    const res = await stack.query(
      `query($t: String!) { eventStream(domainName: "retail", name: "gone") { name } eventTracker(arn: $t) { name } internetEvent(eventId: "no-such-event") { eventId } }`,
      { t: arns.tracker('ghost') },
      FRESH,
    );
    expect(res.errors!.map((e) => e.extensions!.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    expect(stack.calls()).toEqual({
      'profile:GetEventStream': 1,
      'personalize:DescribeEventTracker': 1,
      'internetmonitor:GetInternetEvent': 1,
    });
  });

  it('never retries rejected credentials', async () => {
    const denied = await startStack({
      fixtures: gatewayFixtures(),
      env: {
        CACHE_STORE: 'none',
        AWS_MAX_ATTEMPTS: '3',
        AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEDENIED',
        AWS_SECRET_ACCESS_KEY: 'not-the-emulator-secret',
      },
    });
    try {
      const res = await denied.query(ALL_THREE, VARS);
      // Keys AWS does not know: the credentials' fault (InvalidClientTokenId), not a policy's.
      const codes = res.errors!.map((e) => e.extensions!.code);
      expect(codes).toEqual(['CREDENTIALS_UNAVAILABLE', 'CREDENTIALS_UNAVAILABLE', 'CREDENTIALS_UNAVAILABLE']);
      // Resources named without an ARN need the gateway's account, which these credentials cannot learn: one
      // GetCallerIdentity for the operation (not retried). The tracker, named by an ARN of an account that is no
      // member, may be the gateway's own: it fails for the same reason, at no call.
      expect(denied.calls()).toEqual({ 'sts:GetCallerIdentity': 1 });
    } finally {
      await denied.close();
    }
  });
});

describe('AWS-call budget per operation', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { CACHE_STORE: 'none', AWS_MAX_ATTEMPTS: '3', AWS_CALL_BUDGET: '3', CIRCUIT_FAILURE_THRESHOLD: '0' },
    });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());
  afterEach(() => stack.emulator.clearFaults());

  it('refuses an operation whose estimate exceeds the budget before any AWS call, saying why', async () => {
    const res = await stack.query(
      `${ALL_THREE.replace('}\n}', '}\n  other: internetEvent(eventId: "evt-resolved-1") { eventId }\n}')}`,
      VARS,
    );
    expect(res.status).toBe(200);
    expect(res.errors).toEqual([
      expect.objectContaining({
        extensions: { code: 'AWS_CALL_BUDGET_EXCEEDED', estimatedAwsCalls: 4, awsCallBudget: 3 },
      }),
    ]);
    expect(stack.totalCalls()).toBe(0);
  });

  // One case per service: the three clients are of two SDK generations, and each must run the per-attempt hook.
  it.each([
    ['profile', 'eventStream'],
    ['personalize', 'eventTracker'],
    ['internetmonitor', 'internetEvent'],
  ] as const)(
    'stops an operation once its calls, retries included, reach the budget (%s failing)',
    async (service, field) => {
      // One service fails (slowly, so that the other two services' calls are under way first) and wants retries.
      stack.emulator.setFaults({ rules: [{ service, errorRate: 1, latencyMs: 150 }] });
      const res = await stack.query(ALL_THREE, VARS, FRESH);
      expect(res.data).toEqual({
        eventStream: { name: 'orders' },
        eventTracker: { name: 'shop-tracker' },
        internetEvent: { eventId: 'evt-active-1' },
        [field]: null,
      });
      expect(res.errors).toEqual([
        expect.objectContaining({
          path: [field],
          extensions: expect.objectContaining({ code: 'AWS_CALL_BUDGET_EXCEEDED', awsCallBudget: 3 }),
        }),
      ]);
      expect(stack.calls()).toEqual({
        'profile:GetEventStream': 1,
        'personalize:DescribeEventTracker': 1,
        'internetmonitor:GetInternetEvent': 1,
      });
    },
  );
});

describe('deadlines', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: {
        CACHE_STORE: 'none',
        AWS_MAX_ATTEMPTS: '2',
        AWS_CALL_TIMEOUT_MS: '5000',
        OPERATION_TIMEOUT_MS: '400',
        CIRCUIT_FAILURE_THRESHOLD: '0',
      },
    });
  });
  afterAll(() => stack?.close());
  afterEach(() => stack.emulator.clearFaults());

  it('answers at the operation deadline when AWS does not answer at all, with the data that did come back', async () => {
    // Ten seconds of silence: a gateway that waited for AWS would not answer within the test's time limit.
    stack.emulator.setFaults({ rules: [{ service: 'profile', latencyMs: 10_000 }] });
    const res = await stack.query(ALL_THREE, VARS, FRESH);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({
      eventStream: null,
      eventTracker: { name: 'shop-tracker' },
      internetEvent: { eventId: 'evt-active-1' },
    });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['eventStream'],
        extensions: expect.objectContaining({ code: 'UPSTREAM_TIMEOUT', timeout: 'operation', service: 'profile' }),
      }),
    ]);
  });

  it('answers a response whose body never finishes arriving', async () => {
    stack.emulator.setFaults({ rules: [{ service: 'internetmonitor', slowBodyMs: 10_000 }] });
    const res = await stack.query('{ internetEvent(eventId: "evt-active-1") { eventId } }', undefined, FRESH);
    expect(res.data).toEqual({ internetEvent: null });
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
  });
});

describe('circuit breaker', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { CACHE_STORE: 'none', AWS_MAX_ATTEMPTS: '1', CIRCUIT_FAILURE_THRESHOLD: '3', CIRCUIT_COOLDOWN_MS: '300' },
    });
  });
  afterAll(() => stack?.close());

  const STREAM = '{ eventStream(domainName: "retail", name: "orders") { name } }';

  it('opens after consecutive failures, fails fast while open, and closes after a successful probe', async () => {
    stack.emulator.setFaults({ rules: [{ service: 'profile', down: true }] });
    for (let i = 0; i < 3; i++) {
      const res = await stack.query(STREAM, undefined, FRESH);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', service: 'profile' });
      expect(res.errors![0]!.extensions!.circuit).toBeUndefined();
    }
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 3 });

    const shed = await stack.query(STREAM, undefined, FRESH);
    expect(shed.data).toEqual({ eventStream: null });
    expect(shed.errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      service: 'profile',
      region: 'us-east-1',
      circuit: 'open',
      retryAfterSeconds: 1,
    });
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 3 });
    // Other services and regions keep their own circuits.
    const other = await stack.query(
      '{ internetEvent(eventId: "evt-active-1") { eventId } eu: eventStream(domainName: "retail", name: "orders", region: "eu-west-1") { region } }',
      undefined,
      FRESH,
    );
    expect(other.data).toEqual({ internetEvent: { eventId: 'evt-active-1' }, eu: null });
    expect(other.errors![0]!.extensions!.circuit).toBeUndefined();
    expect(stack.emulator.stats().byRegion['eu-west-1']).toEqual({ 'profile:GetEventStream': 1 });
    stack.emulator.clearFaults();

    // After the cool-down, one probe goes through; its success closes the circuit.
    await vi.waitFor(
      async () => {
        const res = await stack.query(STREAM, undefined, FRESH);
        expect(res.data).toEqual({ eventStream: { name: 'orders' } });
      },
      { timeout: 5_000, interval: 100 },
    );
    expect(stack.emulator.stats().byRegion['us-east-1']).toEqual({
      'profile:GetEventStream': 4,
      'internetmonitor:GetInternetEvent': 1,
    });
    expect(await metricsOf(stack)).toMatch(/gateway_aws_circuit_state\{service="profile",region="us-east-1"\} 0/);
    expect(await metricsOf(stack)).toMatch(
      /gateway_aws_calls_shed_total\{service="profile",region="us-east-1",reason="circuit_open"\} [1-9]/,
    );
  });
});
