import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type GraphQLResponse, type Stack, startStack } from '../helpers/stack.js';

/**
 * AWS misbehaving in every way at once: throttling on 30 % of calls, server errors on 10 %, connection resets on 5 %,
 * latency spikes, and Personalize down altogether. A bounded batch of operations must all get answers: data for
 * what could be fetched, null with a typed error for the rest.
 */

const OPERATIONS = 60;
const CONCURRENCY = 6;
const MAX_ATTEMPTS = 4;

const QUERY = `query Matrix($tracker: String!, $event: String!) {
  eventStream(domainName: "retail", name: "orders") { name state }
  eventTracker(arn: $tracker) { name status }
  internetEvent(eventId: $event) { eventId status }
}`;

const EVENTS = ['evt-active-1', 'evt-resolved-1', 'evt-bulk-0', 'evt-bulk-1', 'evt-bulk-2'];

let stack: Stack;
let answers: GraphQLResponse[];
let metrics: string;

beforeAll(async () => {
  stack = await startStack({
    fixtures: gatewayFixtures(),
    env: {
      CACHE_STORE: 'none',
      AWS_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      AWS_CALL_TIMEOUT_MS: '1000',
      OPERATION_TIMEOUT_MS: '8000',
    },
  });
  stack.emulator.setFaults({
    seed: 7,
    rules: [
      { service: 'personalize', down: true },
      { throttleRate: 0.3 },
      { errorRate: 0.1 },
      { resetRate: 0.05 },
      { service: 'internetmonitor', jitterMs: 300 },
      { service: 'profile', latencyMs: 20, jitterMs: 150 },
    ],
  });
  answers = new Array(OPERATIONS);
  let next = 0;
  // A fixed pool of workers, each sending its next operation when the previous one is answered.
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < OPERATIONS; i = next++) {
        answers[i] = await stack.query(
          QUERY,
          { tracker: arns.tracker('shop-tracker'), event: EVENTS[i % EVENTS.length] },
          { 'cache-control': 'no-cache' },
        );
      }
    }),
  );
  stack.emulator.clearFaults();
  metrics = await (await fetch(stack.gateway.url.replace(/\/graphql$/, '/metrics'))).text();
}, 120_000);
afterAll(() => stack?.close());

function metric(name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of metrics.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

describe('fault matrix', () => {
  it('answers every operation of the batch with HTTP 200 and a GraphQL body', () => {
    expect(answers.filter(Boolean)).toHaveLength(OPERATIONS);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.data).toBeTypeOf('object');
    }
  });

  it('nulls the fields of the service that is down, each with a typed UPSTREAM_UNAVAILABLE error naming it', () => {
    for (const answer of answers) {
      expect(answer.data!.eventTracker).toBeNull();
      const errors = answer.errors!.filter((e) => e.path?.[0] === 'eventTracker');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        service: 'personalize',
        region: 'us-east-1',
      });
    }
  });

  it('returns data from the services that are up, retrying their transient failures', () => {
    const fields = answers.flatMap((a) => [a.data!.eventStream, a.data!.internetEvent]);
    const served = fields.filter((f) => f !== null).length;
    // Four attempts each: a call fails for good with probability 0.4^4 (about 2.6 %).
    expect(served / fields.length).toBeGreaterThan(0.9);
    for (const answer of answers) {
      for (const error of answer.errors ?? []) {
        if (error.path?.[0] === 'eventTracker') continue;
        expect(['THROTTLED', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT']).toContain(error.extensions?.code);
      }
    }
  });

  it('stops calling the service that is down once its circuit opens, and says so in the errors', () => {
    const shed = answers.filter((a) =>
      a.errors?.some((e) => e.path?.[0] === 'eventTracker' && e.extensions?.circuit === 'open'),
    );
    // Operations sent while a failing call is in flight join it (and its error) rather than making their own, so
    // the circuit opens after the calls of a few rounds of workers: the others are all shed.
    expect(shed.length).toBeGreaterThan(OPERATIONS / 3);
    // Without the breaker every operation would cost MAX_ATTEMPTS Personalize calls.
    expect(stack.calls()['personalize:DescribeEventTracker']).toBeLessThan((OPERATIONS * MAX_ATTEMPTS) / 4);
  });

  it('shows retries, shed calls and the open circuit in the metrics', () => {
    expect(metric('gateway_aws_retries_total', { service: 'profile' })).toBeGreaterThan(0);
    expect(metric('gateway_aws_retries_total', { service: 'internetmonitor' })).toBeGreaterThan(0);
    expect(metric('gateway_aws_calls_shed_total', { service: 'personalize', reason: 'circuit_open' })).toBeGreaterThan(
      0,
    );
    expect(metric('gateway_aws_circuit_state', { service: 'personalize', region: 'us-east-1' })).toBeGreaterThan(0);
    expect(metrics).toMatch(/^gateway_aws_circuit_state\{service="profile",region="us-east-1"\} 0$/m);
    expect(metrics).toMatch(/^gateway_aws_circuit_state\{service="internetmonitor",region="us-east-1"\} 0$/m);
  });

  it('counts every attempt the emulator served as an AWS call or a retry', () => {
    const served = stack.emulator.stats().total;
    // The gateway learnt its account at start, before the stack reset the emulator's counters.
    const firstAttempts = metric('gateway_aws_calls_total', {}) - metric('gateway_aws_calls_total', { service: 'sts' });
    const retries = metric('gateway_aws_retries_total', {});
    expect(firstAttempts + retries).toBe(served);
  });
});
