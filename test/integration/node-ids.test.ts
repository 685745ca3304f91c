import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fixtures } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

/*
 * `node(id:)` and `nodes(ids:)` reach AWS only for ids in a documented form: an ARN of one of the services, or a
 * bare internet event id in AWS's UUID form. Anything else is BAD_USER_INPUT at zero calls. `internetEvent(eventId:)`
 * and entity references keyed by `eventId` say what the value is, so they keep AWS's own EventId rule.
 */

const ACCOUNT = '192837465012';
const UUID_EVENT = '5b0e9c1a-3f7d-4e2b-8a6c-1d9f0e4b7a23';
const OTHER_EVENT = 'legacy-event-7';

function fixtures(): Fixtures {
  const location = { ASName: 'A', ASNumber: 1, Country: 'C', City: 'X', Latitude: 1, Longitude: 2 };
  return {
    accountId: ACCOUNT,
    regions: {},
    internetMonitor: {
      internetEvents: [UUID_EVENT, OTHER_EVENT].map((EventId) => ({
        EventId,
        StartedAt: '2024-04-18T10:00:00Z',
        EventType: 'AVAILABILITY',
        EventStatus: 'ACTIVE',
        ClientLocation: location,
      })),
    },
  };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ fixtures: fixtures(), env: { CACHE_STORE: 'none', RESPONSE_CACHE_MAX_BYTES: '0' } });
});
afterAll(() => stack?.close());
beforeEach(() => stack.resetCalls());

describe('node ids', () => {
  it.each([
    ['a word', 'anything'],
    ['an id of AWS’s EventId pattern that is not UUID-shaped', OTHER_EVENT],
    ['a UUID with a character too many', `${UUID_EVENT}0`],
  ])('refuses %s with BAD_USER_INPUT, at zero AWS calls', async (_case, id) => {
    const res = await stack.query('query($id: ID!) { node(id: $id) { id } }', { id });
    expect(res.data).toEqual({ node: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'id' } });
    expect(stack.totalCalls()).toBe(0);
  });

  it('takes a UUID-shaped id as an internet event id, and answers null for a miss', async () => {
    const res = await stack.query(`{
      hit: node(id: "${UUID_EVENT}") { id ... on InternetEvent { eventId } }
      miss: node(id: "${UUID_EVENT.toUpperCase().replace('5B0E', '0000')}") { id }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      hit: { id: `arn:aws:internetmonitor::${ACCOUNT}:internet-event/${UUID_EVENT}`, eventId: UUID_EVENT },
      miss: null,
    });
  });

  it('refuses a bad id of nodes(ids:) on its own, the others answered', async () => {
    const res = await stack.query('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['nope', UUID_EVENT] });
    expect(res.data!.nodes).toEqual([null, { id: `arn:aws:internetmonitor::${ACCOUNT}:internet-event/${UUID_EVENT}` }]);
    expect(res.errors!.map((e) => [e.extensions!.code, e.path])).toEqual([['BAD_USER_INPUT', ['nodes', 0]]]);
  });

  it('keeps AWS’s EventId rule where the argument or entity key says the value is an event id', async () => {
    const res = await stack.query(
      `query($refs: [_Any!]!) {
      internetEvent(eventId: "${OTHER_EVENT}") { eventId }
      _entities(representations: $refs) { ... on InternetEvent { eventId } }
    }`,
      { refs: [{ __typename: 'InternetEvent', eventId: OTHER_EVENT }] },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ internetEvent: { eventId: OTHER_EVENT }, _entities: [{ eventId: OTHER_EVENT }] });
  });
});
