import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  // One attempt per call so each injected fault is seen exactly once; a short deadline for the timeout case. The
  // client-side rate limit stays on: what it learns from the throttling case must not fail the later cases.
  stack = await startStack({
    fixtures: gatewayFixtures(),
    env: { AWS_MAX_ATTEMPTS: '1', AWS_CALL_TIMEOUT_MS: '300', CACHE_STORE: 'none' },
  });
});
afterAll(() => stack?.close());
beforeEach(() => {
  stack.emulator.clearFaults();
  stack.resetCalls();
});

const code = (res: { errors?: Array<{ extensions?: Record<string, any> }> }) =>
  res.errors?.map((e) => e.extensions?.code);

describe('error codes', () => {
  it('gives NOT_FOUND and a null field for a missing stream, with service, operation and region', async () => {
    const res = await stack.query(`{ eventStream(domainName: "retail", name: "missing") { name } }`);
    expect(res.data).toEqual({ eventStream: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      path: ['eventStream'],
      extensions: { code: 'NOT_FOUND', service: 'profile', operation: 'GetEventStream', region: 'us-east-1' },
    });
  });

  it('gives NOT_FOUND for a missing tracker, dataset group and internet event', async () => {
    const res = await stack.query(
      `query($t: String!, $g: String!) {
      eventTracker(arn: $t) { name } datasetGroup(arn: $g) { name } internetEvent(eventId: "no-such-event") { eventId }
    }`,
      { t: arns.tracker('ghost'), g: arns.group('ghost') },
    );
    expect(res.data).toEqual({ eventTracker: null, datasetGroup: null, internetEvent: null });
    expect(code(res)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
  });

  it('returns partial data: one failing resource nulls only its own field', async () => {
    const res = await stack.query(`{
      ok: eventStream(domainName: "retail", name: "orders") { name }
      missing: eventStream(domainName: "retail", name: "gone") { name }
      event: internetEvent(eventId: "evt-active-1") { status }
    }`);
    expect(res.data).toEqual({ ok: { name: 'orders' }, missing: null, event: { status: 'ACTIVE' } });
    expect(code(res)).toEqual(['NOT_FOUND']);
  });

  it('nulls only a list over a missing domain, with an error that names the domain', async () => {
    const res = await stack.query(`{
      eventStreams(domainName: "no-such-domain") { nodes { name } }
      internetEvents(first: 2) { nodes { eventId } }
    }`);
    expect(res.data!.eventStreams).toBeNull();
    expect(res.data!.internetEvents.nodes).toHaveLength(2);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({
      message: 'Domain no-such-domain was not found in us-east-1.',
      path: ['eventStreams'],
      extensions: { code: 'NOT_FOUND', service: 'profile', operation: 'ListEventStreams', region: 'us-east-1' },
    });
  });

  it('names the resource a failing call was about', async () => {
    stack.emulator.setFaults({ rules: [{ service: 'profile', throttleRate: 1 }] });
    const res = await stack.query(`{ eventStreams(domainName: "retail") { nodes { name } } }`);
    expect(res.errors![0]!.message).toBe(
      'profile:ListEventStreams for domain retail in us-east-1 was throttled by AWS; retry later.',
    );
  });

  it.each([
    ['domainName too long', `{ eventStream(domainName: "${'d'.repeat(65)}", name: "x") { name } }`, '"domainName"'],
    ['name with a slash', `{ eventStream(domainName: "retail", name: "../orders") { name } }`, '"name"'],
    [
      'unknown region',
      `{ eventStream(domainName: "retail", name: "orders", region: "mars-north-1") { name } }`,
      '"region"',
    ],
    ['tracker ARN of a dataset group', `{ eventTracker(arn: "${arns.group('shop')}") { name } }`, '"arn"'],
    ['not an ARN', `{ datasetGroup(arn: "shop") { name } }`, '"arn"'],
    ['eventId with a space', `{ internetEvent(eventId: "evt 1") { eventId } }`, '"eventId"'],
    [
      'startTime after endTime',
      `{ internetEvents(startTime: "2024-05-01T00:00:00Z", endTime: "2024-04-01T00:00:00Z") { nodes { eventId } } }`,
      '"startTime"',
    ],
    [
      'region not matching the dataset group',
      `{ eventTrackers(datasetGroupArn: "${arns.group('shop')}", region: "eu-west-1") { nodes { name } } }`,
      '"region"',
    ],
  ])('refuses %s with BAD_USER_INPUT naming the argument and costs no AWS call', async (_case, query, argument) => {
    const res = await stack.query(query);
    expect(code(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toContain(argument);
    expect(stack.totalCalls()).toBe(0);
  });

  it.each([
    ['a malformed DateTime literal', '{ internetEvents(startTime: "yesterday") { nodes { eventId } } }', 'startTime'],
    ['a DateTime literal that is no string', '{ internetEvents(endTime: 20240418) { nodes { eventId } } }', 'endTime'],
    [
      'an impossible instant',
      '{ internetEvents(first: 2, startTime: "2024-02-31T25:00:00Z") { nodes { eventId } } }',
      'startTime',
    ],
  ])('refuses %s with BAD_USER_INPUT naming the argument, at zero AWS calls', async (_case, query, argument) => {
    const res = await stack.query(query);
    // A validation refusal, answered 200 as application/json (GraphQL over HTTP).
    expect(res.status).toBe(200);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument } });
    expect(res.errors![0]!.message).toMatch(new RegExp(`^Argument "${argument}" must be `));
    expect(stack.totalCalls()).toBe(0);
  });

  it('refuses a malformed DateTime variable with BAD_USER_INPUT naming the variable', async () => {
    const res = await stack.query('query($s: DateTime) { internetEvents(startTime: $s) { nodes { eventId } } }', {
      s: 'yesterday',
    });
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toContain('"$s"');
    expect(stack.totalCalls()).toBe(0);
  });

  it('maps throttling to THROTTLED', async () => {
    stack.emulator.setFaults({ rules: [{ service: 'personalize', throttleRate: 1 }] });
    const res = await stack.query(`query($t: String!) { eventTracker(arn: $t) { name } }`, {
      t: arns.tracker('shop-tracker'),
    });
    expect(res.data).toEqual({ eventTracker: null });
    expect(res.errors![0]).toMatchObject({
      extensions: {
        code: 'THROTTLED',
        service: 'personalize',
        operation: 'DescribeEventTracker',
        awsErrorCode: 'LimitExceededException',
      },
    });
    expect(res.errors![0]!.extensions!.awsRequestId).toMatch(/[0-9a-f-]{36}/);
  });

  it('maps server errors and an unavailable service to UPSTREAM_UNAVAILABLE', async () => {
    stack.emulator.setFaults({
      rules: [
        { service: 'internetmonitor', errorRate: 1 },
        { service: 'profile', down: true },
      ],
    });
    const res = await stack.query(`{
      internetEvent(eventId: "evt-active-1") { eventId }
      eventStream(domainName: "retail", name: "orders") { name }
    }`);
    expect(res.data).toEqual({ internetEvent: null, eventStream: null });
    expect(code(res)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
  });

  it('maps a 200 whose body is not JSON to UPSTREAM_UNAVAILABLE, hand-written commands and SDK alike', async () => {
    stack.emulator.setFaults({ rules: [{ corruptBodyRate: 1 }] });
    const res = await stack.query(`{
      internetEvents(first: 2) { nodes { eventId } }
      internetEvent(eventId: "evt-active-1") { eventId }
      eventStream(domainName: "retail", name: "orders") { name }
    }`);
    expect(res.data).toEqual({ internetEvents: null, internetEvent: null, eventStream: null });
    expect(code(res)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
    const unreadable = 'answered with a body that is not valid JSON.';
    expect(res.errors!.map((e) => e.message)).toEqual([
      `internetmonitor:ListInternetEvents in us-east-1 ${unreadable}`,
      `internetmonitor:GetInternetEvent for internet event evt-active-1 in us-east-1 ${unreadable}`,
      `profile:GetEventStream for event stream orders of domain retail in us-east-1 ${unreadable}`,
    ]);
    expect(res.errors![0]!.extensions!.awsRequestId).toMatch(/[0-9a-f-]{36}/);
  });

  it('maps a call slower than the deadline to UPSTREAM_TIMEOUT', async () => {
    stack.emulator.setFaults({ rules: [{ service: 'profile', latencyMs: 2_000 }] });
    const res = await stack.query(`{ eventStream(domainName: "retail", name: "orders") { name } }`);
    expect(res.data).toEqual({ eventStream: null });
    expect(code(res)).toEqual(['UPSTREAM_TIMEOUT']);
  });

  it('maps credentials AWS does not know to CREDENTIALS_UNAVAILABLE without leaking them', async () => {
    const bad = await startStack({
      fixtures: gatewayFixtures(),
      env: { AWS_ACCESS_KEY_ID: 'AKIAWRONGKEY', AWS_SECRET_ACCESS_KEY: 'wrong-secret-value', AWS_MAX_ATTEMPTS: '1' },
    });
    try {
      const res = await bad.query(`{ internetEvent(eventId: "evt-active-1") { eventId } }`);
      // The keys, not a policy: AWS answers InvalidClientTokenId (a permission it refused would be FORBIDDEN).
      expect(code(res)).toEqual(['CREDENTIALS_UNAVAILABLE']);
      expect(JSON.stringify(res)).not.toContain('wrong-secret-value');
      expect(JSON.stringify(res)).not.toContain('AKIAWRONGKEY');
    } finally {
      await bad.close();
    }
  });

  it('never sends stack traces', async () => {
    const res = await stack.query(`{ eventStream(domainName: "retail", name: "gone") { name } }`);
    expect(JSON.stringify(res.errors)).not.toContain('stacktrace');
  });
});

describe('AWS attempts', () => {
  it('makes exactly AWS_MAX_ATTEMPTS attempts on a retryable failure, for every service', async () => {
    const retrying = await startStack({
      fixtures: gatewayFixtures(),
      env: { AWS_MAX_ATTEMPTS: '2', CACHE_STORE: 'none' },
    });
    try {
      retrying.emulator.setFaults({ rules: [{ errorRate: 1 }] });
      const res = await retrying.query(
        `query($t: String!) {
        internetEvent(eventId: "evt-active-1") { eventId }
        eventStream(domainName: "retail", name: "orders") { name }
        eventTracker(arn: $t) { name }
      }`,
        { t: arns.tracker('shop-tracker') },
      );
      expect(code(res)).toEqual(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_UNAVAILABLE']);
      expect(retrying.calls()).toEqual({
        'internetmonitor:GetInternetEvent': 2,
        'profile:GetEventStream': 2,
        'personalize:DescribeEventTracker': 2,
      });
    } finally {
      await retrying.close();
    }
  });
});

describe('argument checks per root field', () => {
  it('nulls the one field with a bad argument, with BAD_USER_INPUT at its path, and answers its siblings', async () => {
    const res = await stack.query(
      `query($t: String!) {
      good: eventStream(domainName: "retail", name: "orders") { name }
      tracker: eventTracker(arn: $t) { name }
      ... on Query { bad: eventStreams(domainName: "retail", first: 500) { nodes { name } } }
    }`,
      { t: arns.tracker('shop-tracker') },
    );
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ good: { name: 'orders' }, tracker: { name: 'shop-tracker' }, bad: null });
    expect(res.errors).toEqual([
      expect.objectContaining({
        message: 'Argument "first" must be between 1 and 100.',
        path: ['bad'],
        extensions: { code: 'BAD_USER_INPUT', argument: 'first' },
      }),
    ]);
    // The siblings' lookups only: the refused field made no call.
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 1, 'personalize:DescribeEventTracker': 1 });
  });

  it('refuses a hostile value in its own field, before its resolver runs', async () => {
    const res = await stack.query(`{
      bad: eventStream(domainName: "retail", name: "../../domains/other") { name }
      good: internetEvent(eventId: "evt-active-1") { eventId }
    }`);
    expect(res.data).toEqual({ bad: null, good: { eventId: 'evt-active-1' } });
    expect(res.errors).toEqual([
      expect.objectContaining({
        path: ['bad'],
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'name' }),
      }),
    ]);
    expect(stack.calls()).toEqual({ 'internetmonitor:GetInternetEvent': 1 });
  });

  it('checks arguments given through variables and fragments', async () => {
    const res = await stack.query(
      `query($id: String!) { ...F } fragment F on Query { internetEvent(eventId: $id) { eventId } }`,
      { id: '../../etc' },
    );
    expect(res.data).toEqual({ internetEvent: null });
    expect(code(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.message).toContain('"eventId"');
    expect(stack.totalCalls()).toBe(0);
  });

  it('answers the good ids of nodes() beside a hostile one, which is BAD_USER_INPUT at its own index', async () => {
    const stream = arns.stream('us-east-1', 'retail', 'orders');
    const res = await stack.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
      ids: [stream, `${stream}/..%2F..`, arns.event('evt-active-1')],
    });
    expect(res.data).toEqual({ nodes: [{ id: stream }, null, { id: arns.event('evt-active-1') }] });
    expect(res.errors).toEqual([
      expect.objectContaining({ path: ['nodes', 1], extensions: { code: 'BAD_USER_INPUT', argument: 'ids[1]' } }),
    ]);
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 1, 'internetmonitor:GetInternetEvent': 1 });
  });

  it('still refuses the whole operation for a limit, at zero AWS calls', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => `evt-${i}`);
    const res = await stack.query(
      `query($ids: [ID!]!) { nodes(ids: $ids) { id } one: internetEvent(eventId: "evt-active-1") { eventId } }`,
      { ids },
    );
    expect(res.data).toBeUndefined();
    expect(code(res)).toEqual(['LIST_TOO_LONG']);
    expect(stack.totalCalls()).toBe(0);
  });
});
