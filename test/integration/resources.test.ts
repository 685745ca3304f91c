import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT, arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type GraphQLResponse, type Stack, startStack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fixtures: gatewayFixtures() });
});
afterAll(() => stack?.close());

describe('event streams', () => {
  it('returns every field of an event stream, converted from the wire formats', async () => {
    const res = await stack.query(`{
      eventStream(domainName: "retail", name: "orders") {
        id arn region domainName name state createdAt stoppedSince
        destination { uri status unhealthySince message kinesisStreamName }
        tags { key value }
      }
    }`);
    expect(res.errors).toBeUndefined();
    const arn = arns.stream('us-east-1', 'retail', 'orders');
    expect(res.data!.eventStream).toEqual({
      id: arn,
      arn,
      region: 'us-east-1',
      domainName: 'retail',
      name: 'orders',
      state: 'RUNNING',
      createdAt: '2024-03-01T12:00:00.000Z',
      stoppedSince: null,
      destination: {
        uri: `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/orders-kds`,
        status: 'HEALTHY',
        unhealthySince: null,
        message: 'Delivering',
        kinesisStreamName: 'orders-kds',
      },
      tags: [
        { key: 'env', value: 'prod' },
        { key: 'team', value: 'checkout' },
      ],
    });
  });

  it('reports a stopped stream with an unhealthy non-Kinesis destination', async () => {
    const res = await stack.query(`{
      eventStream(domainName: "retail", name: "clicks") {
        state createdAt stoppedSince tags { key }
        destination { status unhealthySince message kinesisStreamName }
      }
    }`);
    expect(res.data!.eventStream).toEqual({
      state: 'STOPPED',
      createdAt: '2024-01-15T09:30:00.250Z',
      stoppedSince: '2024-04-02T00:00:00.000Z',
      tags: [],
      destination: {
        status: 'UNHEALTHY',
        unhealthySince: '2024-04-01T23:00:00.000Z',
        message: 'Access denied to the destination',
        kinesisStreamName: null,
      },
    });
  });

  it('looks a stream up in the region asked for', async () => {
    const res = await stack.query(
      `{ eventStream(domainName: "retail", name: "orders", region: "eu-west-1") { arn region destination { kinesisStreamName } } }`,
    );
    expect(res.data!.eventStream).toEqual({
      arn: arns.stream('eu-west-1', 'retail', 'orders'),
      region: 'eu-west-1',
      destination: { kinesisStreamName: 'orders-eu' },
    });
  });

  it('fills fields that list summaries lack from GetEventStream', async () => {
    const res = await stack.query(
      `{ eventStreams(domainName: "retail") { nodes { name createdAt destination { message } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.eventStreams.nodes).toEqual([
      { name: 'orders', createdAt: '2024-03-01T12:00:00.000Z', destination: { message: 'Delivering' } },
      {
        name: 'clicks',
        createdAt: '2024-01-15T09:30:00.250Z',
        destination: { message: 'Access denied to the destination' },
      },
    ]);
  });

  it('returns an empty connection for a domain without streams', async () => {
    const res = await stack.query(
      `{ eventStreams(domainName: "empty") { edges { cursor } nodes { name } pageInfo { hasNextPage endCursor } } }`,
    );
    expect(res.data!.eventStreams).toEqual({ edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });
});

describe('event trackers and dataset groups', () => {
  it('returns every field of an event tracker and its dataset group', async () => {
    const res = await stack.query(
      `query($arn: String!) { eventTracker(arn: $arn) {
        id arn region accountId name trackingId status statusText datasetGroupArn createdAt lastUpdatedAt
        datasetGroup { id arn region name status domain createdAt lastUpdatedAt }
      } }`,
      { arn: arns.tracker('shop-tracker') },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.eventTracker).toEqual({
      id: arns.tracker('shop-tracker'),
      arn: arns.tracker('shop-tracker'),
      region: 'us-east-1',
      accountId: ACCOUNT,
      name: 'shop-tracker',
      trackingId: 'shop-tracker-tracking-id',
      status: 'ACTIVE',
      statusText: 'ACTIVE',
      datasetGroupArn: arns.group('shop'),
      createdAt: '2024-01-01T00:00:00.000Z',
      lastUpdatedAt: '2024-01-02T03:04:05.000Z',
      datasetGroup: {
        id: arns.group('shop'),
        arn: arns.group('shop'),
        region: 'us-east-1',
        name: 'shop',
        status: 'ACTIVE',
        domain: 'ECOMMERCE',
        createdAt: '2023-05-01T00:00:00.000Z',
        lastUpdatedAt: '2023-05-02T00:00:00.000Z',
      },
    });
  });

  it.each([
    ['shop-old', 'DELETE_IN_PROGRESS', 'DELETE IN_PROGRESS'],
    ['video-tracker', 'CREATE_IN_PROGRESS', 'CREATE IN_PROGRESS'],
    ['custom-pending', 'CREATE_PENDING', 'CREATE PENDING'],
    ['custom-failed', 'CREATE_FAILED', 'CREATE FAILED'],
    ['custom-deleting', 'DELETE_PENDING', 'DELETE PENDING'],
    ['custom-odd', 'UNKNOWN', 'REFRESHING'],
  ])('maps tracker %s status to %s and keeps the raw text', async (name, status, statusText) => {
    const res = await stack.query(`query($arn: String!) { eventTracker(arn: $arn) { status statusText } }`, {
      arn: arns.tracker(name),
    });
    expect(res.data!.eventTracker).toEqual({ status, statusText });
  });

  it('lists the trackers of a dataset group and takes the region from its ARN', async () => {
    const res = await stack.query(
      `query($g: String!) { datasetGroup(arn: $g) { domain eventTrackers { nodes { name region datasetGroupArn } } } }`,
      {
        g: arns.group('shop', 'eu-west-1'),
      },
    );
    expect(res.data!.datasetGroup).toEqual({
      domain: 'ECOMMERCE',
      eventTrackers: {
        nodes: [{ name: 'shop-tracker', region: 'eu-west-1', datasetGroupArn: arns.group('shop', 'eu-west-1') }],
      },
    });
  });

  it('returns a null domain for a custom dataset group', async () => {
    const res = await stack.query(
      `query($g: String!) { datasetGroup(arn: $g) { name domain eventTrackers { nodes { name } } } }`,
      { g: arns.group('custom') },
    );
    expect(res.data!.datasetGroup).toEqual({
      name: 'custom',
      domain: null,
      eventTrackers: {
        nodes: [
          { name: 'custom-pending' },
          { name: 'custom-failed' },
          { name: 'custom-deleting' },
          { name: 'custom-odd' },
        ],
      },
    });
  });

  it('lists trackers of the default region with fields summaries lack filled in', async () => {
    const res = await stack.query(
      `{ eventTrackers(first: 100) { nodes { name accountId trackingId datasetGroupArn } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.eventTrackers.nodes).toHaveLength(7);
    expect(res.data!.eventTrackers.nodes[2]).toEqual({
      name: 'video-tracker',
      accountId: ACCOUNT,
      trackingId: 'video-tracker-tracking-id',
      datasetGroupArn: arns.group('video'),
    });
  });
});

describe('internet events', () => {
  it('returns every field of an internet event, with a 4-byte AS number carried exactly', async () => {
    const res = await stack.query(`{ internetEvent(eventId: "evt-active-1") {
      id eventId arn startedAt endedAt type status
      clientLocation { asName asNumber country subdivision metro city latitude longitude }
    } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.internetEvent).toEqual({
      id: arns.event('evt-active-1'),
      eventId: 'evt-active-1',
      arn: arns.event('evt-active-1'),
      startedAt: '2024-04-18T10:00:00.000Z',
      endedAt: null,
      type: 'AVAILABILITY',
      status: 'ACTIVE',
      clientLocation: {
        asName: 'Big Transit',
        asNumber: 4294967295,
        country: 'Germany',
        subdivision: 'Hesse',
        metro: 'Frankfurt',
        city: 'Frankfurt am Main',
        latitude: 50.1109,
        longitude: 8.6821,
      },
    });
  });

  it('filters internet events by status, type and start time', async () => {
    const resolved = await stack.query(
      `{ internetEvents(status: RESOLVED, type: PERFORMANCE, first: 100) { nodes { eventId endedAt } } }`,
    );
    expect(resolved.data!.internetEvents.nodes.map((n: any) => n.eventId)).toEqual([
      'evt-resolved-1',
      'evt-bulk-4',
      'evt-bulk-2',
      'evt-bulk-0',
    ]);
    const april = await stack.query(
      `{ internetEvents(startTime: "2024-04-01T00:00:00Z", endTime: "2024-04-30T00:00:00Z", first: 100) { nodes { eventId } } }`,
    );
    expect(april.data!.internetEvents.nodes.map((n: any) => n.eventId)).toEqual(['evt-active-1', 'evt-resolved-1']);
  });
});

describe('internet event order', () => {
  it('answers a page newest first whatever order AWS sent it in, and resumes it in that order', async () => {
    // AWS documents no order; the emulator sends fixture order, which here is neither oldest nor newest first.
    const events = gatewayFixtures().internetMonitor!.internetEvents;
    const shuffled = [events[3]!, events[0]!, events[5]!, events[1]!, events[6]!, events[2]!, events[4]!];
    const other = await startStack({
      fixtures: { ...gatewayFixtures(), internetMonitor: { internetEvents: shuffled } },
    });
    try {
      const all = await other.query('{ internetEvents(first: 100) { nodes { eventId startedAt } } }');
      const started = all.data!.internetEvents.nodes.map((n: any) => n.startedAt);
      expect(started).toEqual([...started].sort().reverse());
      expect(all.data!.internetEvents.nodes[0].eventId).toBe('evt-active-1');
      // A cursor into the page resumes after the same event.
      const first = await other.query('{ internetEvents(first: 100) { edges { cursor node { eventId } } } }');
      const edges = first.data!.internetEvents.edges;
      const rest = await other.query(
        'query($after: String) { internetEvents(first: 100, after: $after) { nodes { eventId } } }',
        {
          after: edges[2].cursor,
        },
      );
      expect(rest.data!.internetEvents.nodes.map((n: any) => n.eventId)).toEqual(
        edges.slice(3).map((e: any) => e.node.eventId),
      );
      // Walked two at a time, the same order: every event once.
      const walked: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page++) {
        const res: GraphQLResponse = await other.query(
          `query($after: String) { internetEvents(first: 2, after: $after) {
            nodes { eventId } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        walked.push(...res.data!.internetEvents.nodes.map((n: any) => n.eventId));
        if (!res.data!.internetEvents.pageInfo.hasNextPage) break;
        after = res.data!.internetEvents.pageInfo.endCursor;
      }
      expect(walked).toEqual(all.data!.internetEvents.nodes.map((n: any) => n.eventId));
    } finally {
      await other.close();
    }
  });
});

describe('node and nodes', () => {
  it('resolves ids of all three services in one nodes call, in request order, with null for misses', async () => {
    const ids = [
      arns.event('evt-resolved-1'),
      arns.tracker('shop-tracker'),
      arns.event('evt-active-1'),
      arns.stream('us-east-1', 'retail', 'missing'),
      arns.group('video'),
      arns.stream('us-east-1', 'retail', 'orders'),
    ];
    const res = await stack.query(
      `query($ids: [ID!]!) { nodes(ids: $ids) {
        __typename id
        ... on EventStream { name } ... on EventTracker { name } ... on DatasetGroup { name } ... on InternetEvent { eventId }
      } }`,
      { ids },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.nodes).toEqual([
      { __typename: 'InternetEvent', id: ids[0], eventId: 'evt-resolved-1' },
      { __typename: 'EventTracker', id: ids[1], name: 'shop-tracker' },
      { __typename: 'InternetEvent', id: ids[2], eventId: 'evt-active-1' },
      null,
      { __typename: 'DatasetGroup', id: ids[4], name: 'video' },
      { __typename: 'EventStream', id: ids[5], name: 'orders' },
    ]);
  });

  it('resolves a single node by ARN and returns null for a miss', async () => {
    const hit = await stack.query(`query($id: ID!) { node(id: $id) { __typename id } }`, {
      id: arns.group('shop', 'eu-west-1'),
    });
    expect(hit.data!.node).toEqual({ __typename: 'DatasetGroup', id: arns.group('shop', 'eu-west-1') });
    const miss = await stack.query(`query($id: ID!) { node(id: $id) { id } }`, { id: arns.tracker('nope') });
    expect(miss).toMatchObject({ data: { node: null } });
    expect(miss.errors).toBeUndefined();
  });

  it('rejects an id that names no resource of these services, and keeps the other entries', async () => {
    stack.resetCalls();
    const res = await stack.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: ['arn:aws:s3:::bucket', arns.event('evt-bulk-3')],
    });
    expect(res.data!.nodes).toEqual([null, { id: arns.event('evt-bulk-3') }]);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.path).toEqual(['nodes', 0]);
    expect(stack.totalCalls()).toBe(1);
  });
});
