import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/*
 * Relay's full PageInfo, which the subgraph shares with other subgraphs' connections in a supergraph: pages are
 * read forwards, so `hasPreviousPage` says whether the page starts after the list's first item, and `startCursor`
 * is the first edge's cursor.
 */

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fixtures: gatewayFixtures() });
});
afterAll(() => stack?.close());

const PAGE = `query($after: String) {
  eventStreams(domainName: "bulk", first: 3, after: $after) {
    edges { cursor }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

const page = async (after?: string) => {
  const res = await stack.query(PAGE, { after });
  expect(res.errors).toBeUndefined();
  return res.data!.eventStreams as {
    edges: Array<{ cursor: string }>;
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string };
  };
};

describe('PageInfo', () => {
  it('has no previous page on the first page, and a start cursor that is its first edge’s', async () => {
    const first = await page();
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.pageInfo.startCursor).toBe(first.edges[0]!.cursor);
    expect(first.pageInfo.endCursor).toBe(first.edges[2]!.cursor);
  });

  it('has a previous page after a cursor, up to the last page, whose start is its own first edge', async () => {
    const first = await page();
    const second = await page(first.pageInfo.endCursor);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(second.pageInfo.startCursor).toBe(second.edges[0]!.cursor);
    const last = await page((await page(second.pageInfo.endCursor)).edges[0]!.cursor);
    expect(last.pageInfo.hasPreviousPage).toBe(true);
  });

  it('has no start cursor on an empty page', async () => {
    const res = await stack.query('{ eventStreams(domainName: "empty") { pageInfo { hasPreviousPage startCursor } } }');
    expect(res.data).toEqual({ eventStreams: { pageInfo: { hasPreviousPage: false, startCursor: null } } });
  });
});
