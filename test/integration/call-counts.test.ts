import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  // The shared cache is off here: these tests count what one operation's loaders cost on their own.
  stack = await startStack({ fixtures: gatewayFixtures(), env: { CACHE_STORE: 'none' } });
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetCalls());

describe('AWS calls per operation', () => {
  it('costs one GetEventStream for the same stream asked for three times', async () => {
    const res = await stack.query(`{
      a: eventStream(domainName: "retail", name: "orders") { name }
      b: eventStream(domainName: "retail", name: "orders") { state }
      c: node(id: "${arns.stream('us-east-1', 'retail', 'orders')}") { id }
    }`);
    expect(res.errors).toBeUndefined();
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 1 });
  });

  it('costs one DescribeDatasetGroup for trackers sharing a group', async () => {
    const res = await stack.query(
      `query($a: String!, $b: String!) {
      a: eventTracker(arn: $a) { datasetGroup { name } }
      b: eventTracker(arn: $b) { datasetGroup { name } }
    }`,
      { a: arns.tracker('custom-pending'), b: arns.tracker('custom-failed') },
    );
    expect(res.errors).toBeUndefined();
    expect(stack.calls()).toEqual({ 'personalize:DescribeEventTracker': 2, 'personalize:DescribeDatasetGroup': 1 });
  });

  it('answers a list with one call when only summary fields are asked for', async () => {
    await stack.query(
      `{ eventStreams(domainName: "retail") { nodes { name state stoppedSince destination { uri status } } } }`,
    );
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1 });
  });

  it('primes single-event lookups from a list of internet events', async () => {
    const res = await stack.query(`{
      internetEvents(first: 100) { nodes { eventId } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(stack.calls()).toEqual({ 'internetmonitor:ListInternetEvents': 1 });
  });

  it('reuses one SDK client per service and region across requests', async () => {
    await stack.query(`{ eventStream(domainName: "retail", name: "orders") { name } }`);
    const before = stack.gateway.services.clients.size;
    await stack.query(`{ eventStream(domainName: "retail", name: "clicks") { name } }`);
    await stack.query(`{ eventStream(domainName: "retail", name: "orders", region: "eu-west-1") { name } }`);
    await stack.query(`{ eventStream(domainName: "retail", name: "orders", region: "eu-west-1") { name } }`);
    expect(stack.gateway.services.clients.size).toBe(before + 1);
  });

  it('does not share loaders between requests', async () => {
    await stack.query(`{ eventStream(domainName: "retail", name: "orders") { name } }`);
    await stack.query(`{ eventStream(domainName: "retail", name: "orders") { name } }`);
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 2 });
  });
});
