import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fixtures: gatewayFixtures() });
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetCalls());

const STREAMS = `query($first: Int, $after: String) {
  eventStreams(domainName: "bulk", first: $first, after: $after) {
    edges { cursor node { name } } nodes { name } pageInfo { hasNextPage endCursor }
  }
}`;

async function walk(first: number): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const res: any = await stack.query(STREAMS, { first, after });
    expect(res.errors).toBeUndefined();
    const conn: any = res.data!.eventStreams;
    pages++;
    names.push(...conn.nodes.map((n: any) => n.name));
    expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)?.cursor ?? conn.pageInfo.endCursor);
    if (!conn.pageInfo.hasNextPage) return { names, pages };
    after = conn.pageInfo.endCursor;
    expect(pages).toBeLessThan(20);
  }
}

const ALL = Array.from({ length: 7 }, (_, i) => `bulk-${String(i).padStart(2, '0')}`);

describe('Relay pagination over AWS tokens', () => {
  it('walks every page with first: 3 and sees each stream once, one AWS call per page', async () => {
    const { names, pages } = await walk(3);
    expect(names).toEqual(ALL);
    expect(pages).toBe(3);
    expect(stack.calls()).toEqual({ 'profile:ListEventStreams': 3 });
  });

  it('walks every page with first: 1', async () => {
    expect((await walk(1)).names).toEqual(ALL);
  });

  it('resumes after any edge cursor, not only the end cursor', async () => {
    const first = await stack.query(STREAMS, { first: 5 });
    const third = first.data!.eventStreams.edges[2].cursor;
    const rest = await stack.query(STREAMS, { first: 3, after: third });
    expect(rest.data!.eventStreams.nodes.map((n: any) => n.name)).toEqual(['bulk-03', 'bulk-04', 'bulk-05']);
    expect(rest.data!.eventStreams.pageInfo.hasNextPage).toBe(true);
  });

  it('pages through internet events and trackers the same way', async () => {
    const events: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res: any = await stack.query(
        `query($after: String) { internetEvents(first: 2, after: $after) { nodes { eventId } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      events.push(...res.data.internetEvents.nodes.map((n: any) => n.eventId));
      if (!res.data.internetEvents.pageInfo.hasNextPage) break;
      after = res.data.internetEvents.pageInfo.endCursor;
    }
    expect(events).toHaveLength(7);
    expect(new Set(events).size).toBe(7);

    const trackers: string[] = [];
    after = null;
    for (let i = 0; i < 10; i++) {
      const res: any = await stack.query(
        `query($after: String) { eventTrackers(first: 3, after: $after) { nodes { name } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      trackers.push(...res.data.eventTrackers.nodes.map((n: any) => n.name));
      if (!res.data.eventTrackers.pageInfo.hasNextPage) break;
      after = res.data.eventTrackers.pageInfo.endCursor;
    }
    expect(trackers).toHaveLength(7);
  });

  it.each([0, 101, -1])('refuses first: %i without calling AWS', async (first) => {
    const res = await stack.query(STREAMS, { first });
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toContain('"first"');
    expect(stack.totalCalls()).toBe(0);
  });

  it('refuses a forged cursor and a cursor from another list without calling AWS', async () => {
    const forged = await stack.query(STREAMS, { first: 2, after: 'not-a-cursor!' });
    expect(forged.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const other = await stack.query(`{ eventStreams(domainName: "retail", first: 1) { pageInfo { endCursor } } }`);
    stack.resetCalls();
    const foreign = await stack.query(STREAMS, { first: 2, after: other.data!.eventStreams.pageInfo.endCursor });
    expect(foreign.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(foreign.errors![0]!.message).toContain('"after"');
    expect(stack.totalCalls()).toBe(0);
  });
});
