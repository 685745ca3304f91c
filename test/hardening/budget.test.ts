import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/*
 * The AWS-call budget decides before any call what is certain (ids, lookups, page calls), and lets a connection
 * that would only exceed it with full pages run: when its page arrives, it reserves what its items may cost, and is
 * refused then if the budget cannot cover them, before any nested call.
 */
describe('AWS-call budget on natural pages', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures(), env: { CACHE_STORE: 'none' } });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());

  it('answers a full page of trackers with their dataset groups within the default budget', async () => {
    // With 100 items this may cost 203 calls, over the default budget of 200; the region has a few trackers.
    const res = await stack.query('{ eventTrackers(first: 100) { nodes { name datasetGroup { name } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data?.eventTrackers.nodes.length).toBeGreaterThan(1);
    expect(res.data?.eventTrackers.nodes.every((t: any) => t.datasetGroup)).toBe(true);
  });

  it('refuses an id fan-out certain to exceed the budget before any AWS call', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => arns.tracker(`t-${i}`));
    const res = await stack.query(
      'query($ids: [ID!]!) { nodes(ids: $ids) { ... on EventTracker { datasetGroup { eventTrackers { nodes { trackingId } } } } } }',
      { ids },
    );
    // The whole operation is refused; answered as application/json, with 200 and its code.
    expect(res.status).toBe(200);
    expect(res.data).toBeUndefined();
    expect(res.errors?.[0]?.extensions?.code).toBe('AWS_CALL_BUDGET_EXCEEDED');
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('AWS-call budget on pages that would exceed it', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures(), env: { CACHE_STORE: 'none', AWS_CALL_BUDGET: '6' } });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());

  it('refuses a connection whose 7 items need a Get each, after its one page call, and answers its siblings', async () => {
    const res = await stack.query(`{
      bulk: eventStreams(domainName: "bulk", first: 100) { nodes { createdAt } }
      one: eventStream(domainName: "retail", name: "orders") { name }
    }`);
    expect(res.errors).toHaveLength(1);
    expect(res.errors?.[0]).toMatchObject({
      path: ['bulk'],
      extensions: { code: 'AWS_CALL_BUDGET_EXCEEDED', estimatedAwsCalls: 7 },
    });
    expect(res.data).toEqual({ bulk: null, one: { name: 'orders' } });
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1, 'profile:GetEventStream': 1 });
  });

  it('answers the same connection when its items need nothing the page lacks', async () => {
    const res = await stack.query('{ eventStreams(domainName: "bulk", first: 100) { nodes { name state } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data?.eventStreams.nodes).toHaveLength(7);
    expect(stack.totalCalls()).toBe(1);
  });
});
