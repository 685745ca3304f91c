import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fixtures } from '../../src/emulator/index.js';
import { ACCOUNT, arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/** The test fixtures plus a domain of 250 streams (three ListEventStreams pages of 100). */
function fixturesWithBigDomain(): Fixtures {
  const fixtures = gatewayFixtures() as any;
  fixtures.regions['us-east-1'].customerProfiles.domains.push({
    DomainName: 'big',
    eventStreams: Array.from({ length: 250 }, (_, i) => ({
      EventStreamName: `s${String(i).padStart(3, '0')}`,
      CreatedAt: '2024-01-01T00:00:00Z',
      State: 'RUNNING',
      DestinationDetails: { Uri: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/k${i}`, Status: 'HEALTHY' },
    })),
  });
  return fixtures as Fixtures;
}

const lookups = (domain: string, names: string[], fields: string) =>
  `{ ${names.map((n, i) => `s${i}: eventStream(domainName: "${domain}", name: "${n}") { ${fields} }`).join(' ')} }`;

let stack: Stack;
beforeAll(async () => {
  // No shared cache: each test sees exactly what one operation's call plan costs.
  stack = await startStack({ fixtures: fixturesWithBigDomain(), env: { CACHE_STORE: 'none' } });
});
afterAll(() => stack?.close());
beforeEach(() => {
  stack.resetCalls();
  // Plans remember lists' first pages (FirstPageMemo): each test starts from a gateway that has read none.
  stack.gateway.services.firstPages.clear();
});

describe('call planning', () => {
  it('answers five streams of one domain with one list page when only summary fields are asked', async () => {
    const res = await stack.query(
      lookups('bulk', ['bulk-00', 'bulk-02', 'bulk-04', 'bulk-05', 'bulk-06'], 'name state destination { status }'),
    );
    expect(res.errors).toBeUndefined();
    expect(Object.keys(res.data!)).toHaveLength(5);
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1 });
  });

  it('uses one Get per stream when the operation asks for fields list summaries lack', async () => {
    await stack.query(lookups('bulk', ['bulk-00', 'bulk-02', 'bulk-04'], 'name createdAt'));
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 3 });
  });

  it('uses a Get for a lone stream, since a list page cannot beat one call', async () => {
    await stack.query(lookups('bulk', ['bulk-03'], 'name'));
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 1 });
  });

  it('plans per domain: two domains with one key each cost two Gets', async () => {
    await stack.query(
      `{ a: eventStream(domainName: "bulk", name: "bulk-01") { name } b: eventStream(domainName: "retail", name: "orders") { name } }`,
    );
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 2 });
  });

  it('stops listing as soon as every key is found', async () => {
    await stack.query(lookups('big', ['s001', 's050', 's099'], 'name'));
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1 });
  });

  it('falls back to a Get for the last key when another page could not pay for itself', async () => {
    const res = await stack.query(lookups('big', ['s001', 's240'], 'name'));
    expect(res.data).toEqual({ s0: { name: 's001' }, s1: { name: 's240' } });
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1, 'profile:GetEventStream': 1 });
  });

  it('never reads a second page: keys the first page lacks are fetched with parallel Gets (two rounds at most)', async () => {
    const res = await stack.query(lookups('big', ['s001', 's120', 's130', 's140', 's150'], 'name'));
    expect(res.errors).toBeUndefined();
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1, 'profile:GetEventStream': 4 });
  });

  it('skips the list once it knows its first page holds fewer than two of the keys', async () => {
    const query = lookups('big', ['s001', 's150', 's160'], 'name');
    await stack.query(query);
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1, 'profile:GetEventStream': 2 });
    stack.resetCalls();
    const again = await stack.query(query);
    expect(again.data).toEqual({ s0: { name: 's001' }, s1: { name: 's150' }, s2: { name: 's160' } });
    expect(stack.calls()).toEqual({ 'profile:GetEventStream': 3 });
  });

  it('still lists a first page known to hold two or more of the keys, beside Gets for the others', async () => {
    const query = lookups('big', ['s001', 's002', 's150'], 'name');
    await stack.query(query);
    stack.resetCalls();
    const again = await stack.query(query);
    expect(again.data).toEqual({ s0: { name: 's001' }, s1: { name: 's002' }, s2: { name: 's150' } });
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1, 'profile:GetEventStream': 1 });
  });

  it('stops listing when a page finds none of the keys, and fetches the rest one by one', async () => {
    const res = await stack.query(lookups('big', ['s150', 's160', 's170'], 'name'));
    expect(res.errors).toBeUndefined();
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1, 'profile:GetEventStream': 3 });
  });

  it('reports keys missing from a complete list as not found without further calls', async () => {
    const res = await stack.query(lookups('bulk', ['bulk-01', 'nope-1', 'nope-2'], 'name'));
    expect(res.data).toEqual({ s0: { name: 'bulk-01' }, s1: null, s2: null });
    expect(res.errors!.map((e) => e.extensions!.code)).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 1 });
  });

  it('batches nested dataset groups across parents: one Describe per distinct group', async () => {
    const trackers = [
      'shop-tracker',
      'shop-old',
      'video-tracker',
      'custom-pending',
      'custom-failed',
      'custom-deleting',
      'custom-odd',
    ];
    const res = await stack.query(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on EventTracker { name datasetGroup { name } } } }`,
      {
        ids: trackers.map((t) => arns.tracker(t)),
      },
    );
    expect(res.errors).toBeUndefined();
    expect(stack.calls()).toEqual({ 'personalize:DescribeEventTracker': 7, 'personalize:DescribeDatasetGroup': 3 });
  });

  it('answers several trackers by ARN from one list page when their summaries suffice', async () => {
    const res = await stack.query(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on EventTracker { name status createdAt } } }`,
      {
        ids: ['shop-tracker', 'video-tracker', 'custom-odd'].map((t) => arns.tracker(t)),
      },
    );
    expect(res.data!.nodes.map((n: any) => n.name)).toEqual(['shop-tracker', 'video-tracker', 'custom-odd']);
    expect(stack.calls()).toEqual({ 'personalize:ListEventTrackers': 1 });
  });

  it('answers several internet events by id from one list page', async () => {
    const res = await stack.query(
      `{ a: internetEvent(eventId: "evt-bulk-0") { eventId } b: internetEvent(eventId: "evt-bulk-1") { eventId }
         c: node(id: "${arns.event('evt-resolved-1')}") { id } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(stack.calls()).toEqual({ 'internetmonitor:ListInternetEvents': 1 });
  });

  it('bounds concurrent AWS calls per service and region', async () => {
    const limited = await startStack({
      fixtures: fixturesWithBigDomain(),
      env: { CACHE_STORE: 'none', AWS_MAX_CONCURRENCY: '2' },
    });
    try {
      limited.emulator.setFaults({ latencyMs: 100 });
      const started = performance.now();
      await limited.query(lookups('big', ['s001', 's002', 's003', 's004', 's005', 's006'], 'createdAt'));
      // Six 100 ms calls two at a time take at least three rounds.
      expect(performance.now() - started).toBeGreaterThanOrEqual(300);
      expect(limited.calls()).toEqual({ 'profile:GetEventStream': 6 });
    } finally {
      await limited.close();
    }
  });
});
