import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  DEMO_DOMAIN_NAME,
  DEMO_EVENT_STREAM_ARN,
  DEMO_EVENT_STREAM_NAME,
  DEMO_EVENT_TRACKER_ARN,
  DEMO_INTERNET_EVENT_ID,
  DEMO_RESOLVED_INTERNET_EVENT_ID,
} from '../../src/emulator/index.js';
import { type Stack, startStack } from '../../test/helpers/stack.js';
import { createGatewayClient, queryPersisted } from './src/client.js';
import {
  ActiveInternetEventsDocument,
  type ActiveInternetEventsQuery,
  DomainEventStreamsDocument,
  type DomainEventStreamsQuery,
  InternetEventDetailsDocument,
  PinnedResourcesDocument,
  RetagEventStreamDocument,
  type RetagEventStreamMutation,
} from './src/gql/graphql.js';

/**
 * The frontend example against a running gateway with the demo data: operations from .graphql files, typed by
 * codegen's client preset, sent by urql, exactly as a frontend would.
 */

interface Sent {
  method: string;
  url: URL;
  body?: { query?: string; extensions?: { persistedQuery?: { sha256Hash: string } } };
  status: number;
  cacheControl: string | null;
}

let stack: Stack;
const sent: Sent[] = [];

/** The browser's fetch, recording what went over the wire. */
const recordingFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  sent.push({
    method: init?.method ?? 'GET',
    url: new URL(String(input)),
    body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    status: res.status,
    cacheControl: res.headers.get('cache-control'),
  });
  return res;
};

beforeAll(async () => {
  // No shared cache, so that the APQ test can count exactly which request reached AWS.
  stack = await startStack({ env: { CACHE_STORE: 'none' } });
});
afterAll(() => stack?.close());
beforeEach(() => {
  sent.length = 0;
  stack.resetCalls();
});

describe('frontend example (urql + codegen client preset)', () => {
  it('runs a typed query and gets typed data', async () => {
    const client = createGatewayClient(stack.gateway.url, { fetch: recordingFetch });
    const result = await client.query(ActiveInternetEventsDocument, { first: 10 }).toPromise();
    expect(result.error).toBeUndefined();
    // The result type comes from the .graphql file: these lines would not compile if the fields were not selected.
    // A root list is nullable: a failing list nulls only itself, and a typed client must say what it does then.
    const events: NonNullable<ActiveInternetEventsQuery['internetEvents']>['nodes'] =
      result.data?.internetEvents?.nodes ?? [];
    const ashburn = events.find((e) => e.eventId === DEMO_INTERNET_EVENT_ID);
    expect(ashburn?.clientLocation.city).toBe('Ashburn');
    expect(events.every((e) => typeof e.clientLocation.asNumber === 'number')).toBe(true);
    expect(sent.map((s) => s.method)).toEqual(['POST']);
  });

  it('pages through a domain’s event streams with cursors', async () => {
    const client = createGatewayClient(stack.gateway.url);
    const names: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result = await client
        .query(DomainEventStreamsDocument, { domainName: DEMO_DOMAIN_NAME, first: 3, after })
        .toPromise();
      expect(result.error).toBeUndefined();
      const connection: DomainEventStreamsQuery['eventStreams'] = result.data?.eventStreams ?? null;
      if (!connection) break;
      names.push(...connection.nodes.map((n) => n.name));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(names.sort()).toEqual(['cart-abandonment', 'loyalty-points', 'orders-to-kinesis', 'profile-changes']);
  });

  it('fetches resources of three services in one request by id', async () => {
    const client = createGatewayClient(stack.gateway.url);
    const result = await client
      .query(PinnedResourcesDocument, {
        ids: [DEMO_EVENT_STREAM_ARN, DEMO_EVENT_TRACKER_ARN, DEMO_RESOLVED_INTERNET_EVENT_ID],
      })
      .toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data!.nodes.map((n) => n?.__typename)).toEqual(['EventStream', 'EventTracker', 'InternetEvent']);
    const tracker = result.data!.nodes[1];
    expect(tracker?.__typename === 'EventTracker' && tracker.datasetGroup?.name).toBe('storefront-recommendations');
  });

  it('runs a typed mutation: the stream comes back with its new tags, removed ones gone', async () => {
    const client = createGatewayClient(stack.gateway.url, { fetch: recordingFetch });
    const tags = [
      { key: 'Team', value: 'commerce-data' },
      { key: 'Dashboard', value: 'edited' },
    ];
    const result = await client
      .mutation(RetagEventStreamDocument, {
        input: { domainName: DEMO_DOMAIN_NAME, name: DEMO_EVENT_STREAM_NAME, tags },
      })
      .toPromise();
    expect(result.error).toBeUndefined();
    // Typed by the .graphql file: `tags` is a non-null list of { key, value }.
    const stream: NonNullable<RetagEventStreamMutation['updateEventStream']['eventStream']> | undefined =
      result.data?.updateEventStream.eventStream ?? undefined;
    expect(stream?.arn).toBe(DEMO_EVENT_STREAM_ARN);
    expect(stream?.tags).toEqual([
      { key: 'Dashboard', value: 'edited' },
      { key: 'Team', value: 'commerce-data' },
    ]);
    // The tags it had: Environment (removed) and Team (kept as it was).
    expect(stack.calls()).toEqual({
      'profile:GetEventStream': 1,
      'profile:TagResource': 1,
      'profile:UntagResource': 1,
    });
    expect(sent.map((s) => [s.method, s.cacheControl])).toEqual([['POST', 'no-store']]);
  });

  it('surfaces a missing resource as a coded GraphQL error the UI can branch on', async () => {
    const client = createGatewayClient(stack.gateway.url);
    const result = await client
      .query(InternetEventDetailsDocument, { eventId: '00000000-0000-4000-8000-000000000000' })
      .toPromise();
    expect(result.data?.internetEvent ?? null).toBeNull();
    expect(result.error?.graphQLErrors.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
  });

  it('completes an automatic persisted query round trip: hash miss, registration, then hash-only cacheable GETs', async () => {
    const client = createGatewayClient(stack.gateway.url, { fetch: recordingFetch });
    const variables = { eventId: DEMO_RESOLVED_INTERNET_EVENT_ID };

    const first = await queryPersisted(client, InternetEventDetailsDocument, variables);
    expect(first.error).toBeUndefined();
    expect(first.data!.internetEvent?.status).toBe('RESOLVED');
    // A GET with only the hash (the gateway has not seen it), then a POST with the text that registers it.
    expect(sent.map((s) => [s.method, s.url.searchParams.has('query') || !!s.body?.query])).toEqual([
      ['GET', false],
      ['POST', true],
    ]);
    const hash = JSON.parse(sent[0]!.url.searchParams.get('extensions')!).persistedQuery.sha256Hash as string;
    expect(sent[1]!.body?.extensions?.persistedQuery?.sha256Hash).toBe(hash);
    // The miss cost no AWS call; the registering request ran the query once.
    expect(stack.calls()).toEqual({ 'internetmonitor:GetInternetEvent': 1 });

    sent.length = 0;
    const second = await queryPersisted(client, InternetEventDetailsDocument, variables);
    expect(second.data).toEqual(first.data);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'GET', status: 200 });
    expect(sent[0]!.url.searchParams.has('query')).toBe(false);
    // A resolved event stays true for long: the hash-only GET is cacheable by the browser or a CDN.
    expect(sent[0]!.cacheControl).toMatch(/^max-age=[1-9]\d*, public$/);
  });
});
