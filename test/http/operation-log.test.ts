import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type LoggedStack, startLoggedStack } from './log-capture.js';

let stack: LoggedStack;

async function post(body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(stack.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { res, json: (await res.json()) as { data?: any; errors?: any[] } };
}

beforeAll(async () => {
  stack = await startLoggedStack(gatewayFixtures());
});
afterAll(() => stack?.close());
beforeEach(() => {
  stack.logs.clear();
  stack.emulator.reset();
});

describe('operation log lines', () => {
  it('writes one JSON line per operation with its request id, name, type, duration and AWS calls', async () => {
    const { res } = await post({
      query: `query TwoStreams($a: ID!) {
        node(id: $a) { id }
        eventStream(domainName: "retail", name: "clicks") { name }
      }`,
      variables: { a: arns.stream('us-east-1', 'retail', 'orders') },
    });
    expect(res.status).toBe(200);
    const lines = stack.logs.operations();
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({
      level: 'info',
      requestId: res.headers.get('x-request-id'),
      operationName: 'TwoStreams',
      operationType: 'query',
      status: 200,
      errorCount: 0,
      errorCodes: {},
    });
    expect(typeof line.time).toBe('string');
    expect(line.durationMs).toBeGreaterThan(0);
    // The line's AWS figures are the emulator's own count of what this operation cost.
    const served = stack.emulator.stats();
    expect(line.awsCalls).toBe(served.total);
    expect(line.awsCallsByOperation).toEqual(served.calls);
    expect(line.awsCalls).toBeGreaterThan(0);
  });

  it('counts error codes and logs the operation at warn level when AWS is at fault', async () => {
    stack.emulator.setFaults({ rules: [{ service: 'profile', operation: 'GetEventStream', down: true }] });
    try {
      await post({
        query: `query Failing {
          a: eventStream(domainName: "retail", name: "orders") { name }
          missing: internetEvent(eventId: "evt-does-not-exist") { eventId }
        }`,
      });
    } finally {
      stack.emulator.clearFaults();
    }
    const [line] = stack.logs.operations();
    if (!line) throw new Error('no operation line was logged');
    expect(line).toMatchObject({
      level: 'warn',
      operationName: 'Failing',
      errorCount: 2,
      errorCodes: { UPSTREAM_UNAVAILABLE: 1, NOT_FOUND: 1 },
    });
    // Every attempt the SDK made is in the count, and the retries among them are told apart.
    const served = stack.emulator.stats();
    expect(line.awsCalls).toBe(served.total);
    expect(line.awsRetries).toBe(served.calls['profile:GetEventStream']! - 1);
    expect(line.awsRetries).toBeGreaterThan(0);
  });

  it('logs requests that fail before execution with their code and no operation type', async () => {
    await post({ query: 'query Broken { internetEvent(' });
    const [line] = stack.logs.operations();
    expect(line).toMatchObject({
      operationName: null,
      operationType: 'unknown',
      // A GraphQL refusal answered as application/json.
      status: 200,
      errorCodes: { GRAPHQL_PARSE_FAILED: 1 },
    });
  });

  it('never writes variable values, literal arguments, query text or credentials', async () => {
    const secrets = [
      'evt-secret-variable-0042',
      'evt-secret-literal-0042',
      'Bearer top-secret-token-0042',
      'session=cookie-secret-0042',
    ];
    await post(
      {
        query: `query Secretive($id: String!) {
          a: internetEvent(eventId: $id) { eventId }
          b: internetEvent(eventId: "evt-secret-literal-0042") { eventId }
        }`,
        variables: { id: 'evt-secret-variable-0042' },
      },
      { authorization: secrets[2]!, cookie: secrets[3]! },
    );
    const text = stack.logs.raw.join('\n');
    expect(stack.logs.operations()).toHaveLength(1);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toContain('internetEvent(');
    expect(Object.keys(stack.logs.operations()[0]!).sort()).toEqual(
      [
        'awsCalls',
        'awsCallsByOperation',
        'awsRetries',
        'durationMs',
        'errorCodes',
        'errorCount',
        'level',
        'msg',
        'operationName',
        'operationType',
        'requestId',
        'service',
        'status',
        'time',
      ].sort(),
    );
  });

  it('drops an operation name that is not a GraphQL name rather than logging caller text', async () => {
    await post({ query: '{ __typename }', operationName: 'not a name; token=abc' });
    const text = stack.logs.raw.join('\n');
    expect(text).not.toContain('token=abc');
    expect(stack.logs.operations()[0]).toMatchObject({ operationName: null });
  });
});

describe('request ids', () => {
  it('echoes a sane incoming x-request-id and logs the operation under it', async () => {
    const { res } = await post({ query: '{ __typename }' }, { 'x-request-id': 'trace-7f3a.42:b_c' });
    expect(res.headers.get('x-request-id')).toBe('trace-7f3a.42:b_c');
    expect(stack.logs.operations()[0]).toMatchObject({ requestId: 'trace-7f3a.42:b_c' });
  });

  it('replaces an incoming x-request-id that is not a sane token with a fresh UUID', async () => {
    for (const bad of ['has spaces in it', 'x'.repeat(129), '<script>', '']) {
      const { res } = await post({ query: '{ __typename }' }, bad ? { 'x-request-id': bad } : {});
      expect(res.headers.get('x-request-id')).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it('gives every response a request id, not only GraphQL ones', async () => {
    const res = await fetch(new URL('/healthz', stack.gateway.url));
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('operation metrics', () => {
  it('observes each operation latency by type and each error by code', async () => {
    const metrics = stack.gateway.services.metrics;
    const before = await metrics.registry.getSingleMetricAsString('gateway_graphql_operation_duration_seconds');
    const count = (text: string) =>
      Number(/gateway_graphql_operation_duration_seconds_count\{operation_type="query"\} (\d+)/.exec(text)?.[1] ?? 0);
    await post({
      query:
        '{ a: internetEvent(eventId: "evt-nope-1") { eventId } b: internetEvent(eventId: "evt-nope-2") { eventId } }',
    });
    await post({ query: '{ __typename }' });
    const after = await metrics.registry.getSingleMetricAsString('gateway_graphql_operation_duration_seconds');
    expect(count(after) - count(before)).toBe(2);
    const errors = await metrics.registry.getSingleMetricAsString('gateway_graphql_errors_total');
    expect(errors).toMatch(/gateway_graphql_errors_total\{code="NOT_FOUND"\} [2-9]/);
  });
});

describe('log level', () => {
  it('writes nothing for successful operations when LOG_LEVEL=warn', async () => {
    const quiet = await startLoggedStack(gatewayFixtures(), { LOG_LEVEL: 'warn' });
    try {
      const res = await fetch(quiet.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      expect(res.status).toBe(200);
      expect(quiet.logs.raw).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});
