import { ACCOUNT, arns } from '../helpers/fixtures.js';

/**
 * Hostile operations and inputs, as data. Every entry is refused before any AWS call: the answer is JSON with errors
 * and no data (or, for a refused argument, that field or entry null), the HTTP status given for
 * `accept: application/graphql-response+json` and the error codes below. hostile.test.ts runs them against a
 * gateway with the default limits:
 *   MAX_QUERY_BYTES 16384, MAX_BODY_BYTES 262144, MAX_DEPTH 10, MAX_ALIASES 100, MAX_TOKENS 5000,
 *   MAX_DIRECTIVES 20, MAX_COMPLEXITY 50000, MAX_LIST_IDS 100, MAX_ENTITIES 500, AWS_CALL_BUDGET 200.
 */

export interface GraphQLBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

export interface RawRequest {
  method: 'GET' | 'POST';
  /** Appended to the endpoint URL, e.g. `?query=...`. */
  search?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface HostileEntry {
  name: string;
  /** A JSON body POSTed as application/json, or a raw request. */
  request: { json: GraphQLBody | unknown } | { raw: RawRequest };
  status: number;
  /**
   * The answer's data when the refusal is of root fields or list entries (an argument: null with BAD_USER_INPUT at
   * its path, siblings answered); absent when the whole operation is refused (no data).
   */
  data?: unknown;
  /** The set of `extensions.code` values of the answer's errors, exactly. */
  codes: string[];
}

const G = arns.group('shop');
const T = arns.tracker('shop-tracker');
const STREAM = arns.stream('us-east-1', 'retail', 'orders');

const repeat = (n: number, f: (i: number) => string, sep = ' ') => Array.from({ length: n }, (_, i) => f(i)).join(sep);

/** `datasetGroup { eventTrackers { nodes { datasetGroup { ... } } } }`, `levels` fields deep. */
function nested(levels: number): string {
  let inner = 'name';
  for (let i = levels - 1; i >= 1; i--)
    inner = i % 2 === 1 ? `eventTrackers { nodes { ${inner} } }` : `datasetGroup { ${inner} }`;
  return `{ datasetGroup(arn: "${G}") { ${inner} } }`;
}

const ENTITY_TYPENAMES = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';

const PAGE_OF_EVENTS =
  'nodes { eventId arn startedAt endedAt type status ' +
  'clientLocation { asName asNumber country subdivision metro city latitude longitude } }';

const bigSelection = `edges { cursor node { eventId arn startedAt endedAt type status clientLocation { asName asNumber country subdivision metro city latitude longitude } } } pageInfo { hasNextPage endCursor }`;

const utf8 = (parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

const invalidUtf8 = (bytes: number[]) =>
  utf8(['{"query":"{ eventStream(domainName: \\"retail', bytes, '\\", name: \\"orders\\") { name } }"}']);

export const HOSTILE_CORPUS: HostileEntry[] = [
  // --- Shape: depth, aliases, fragments, directives, tokens, size, cost -------------------------------------------
  {
    name: 'depth bomb through dataset groups and their trackers',
    request: { json: { query: nested(14) } },
    status: 400,
    codes: ['QUERY_TOO_DEEP'],
  },
  {
    name: 'depth bomb hidden in a chain of fragments',
    request: {
      json: {
        query: `{ datasetGroup(arn: "${G}") { ...G1 } }
          fragment G1 on DatasetGroup { eventTrackers { nodes { datasetGroup { ...G2 } } } }
          fragment G2 on DatasetGroup { eventTrackers { nodes { datasetGroup { ...G3 } } } }
          fragment G3 on DatasetGroup { eventTrackers { nodes { datasetGroup { ...G4 } } } }
          fragment G4 on DatasetGroup { eventTrackers { nodes { datasetGroup { ...G5 } } } }
          fragment G5 on DatasetGroup { eventTrackers { nodes { datasetGroup { ...G6 } } } }
          fragment G6 on DatasetGroup { eventTrackers { nodes { datasetGroup { name } } } }`,
      },
    },
    status: 400,
    codes: ['QUERY_TOO_COMPLEX', 'QUERY_TOO_DEEP'],
  },
  {
    name: 'depth bomb through inline fragments on Node',
    request: {
      json: {
        query: `{ node(id: "${G}") { ... on DatasetGroup { eventTrackers { nodes { ... on EventTracker { datasetGroup { ... on DatasetGroup { eventTrackers { nodes { datasetGroup { eventTrackers { nodes { datasetGroup { eventTrackers { nodes { datasetGroup { eventTrackers { nodes { datasetGroup { eventTrackers { nodes { name } } } } } } } } } } } } } } } } } } } } } }`,
      },
    },
    status: 400,
    codes: ['QUERY_TOO_DEEP'],
  },
  {
    name: 'alias bomb: one lookup under 150 aliases',
    request: {
      json: { query: `{ ${repeat(150, (i) => `a${i}: internetEvent(eventId: "evt-active-1") { eventId }`)} }` },
    },
    status: 400,
    codes: ['TOO_MANY_ALIASES'],
  },
  {
    name: 'alias bomb of scalar fields inside one object',
    request: {
      json: { query: `{ internetEvent(eventId: "evt-active-1") { ${repeat(150, (i) => `f${i}: eventId`)} } }` },
    },
    status: 400,
    codes: ['TOO_MANY_ALIASES'],
  },
  {
    name: 'aliases multiplied by spreading an aliased fragment under aliased parents',
    request: {
      json: {
        query: `{ ${repeat(20, (i) => `p${i}: internetEvent(eventId: "evt-active-1") { ...F }`)} }
          fragment F on InternetEvent { a: eventId b: eventId c: arn d: status e: type }`,
      },
    },
    status: 400,
    codes: ['TOO_MANY_ALIASES'],
  },
  {
    name: 'exponential fragment bomb (each level doubles the fields below it)',
    request: {
      json: {
        query: `{ datasetGroup(arn: "${G}") { ...L1 } }
          fragment L1 on DatasetGroup { x: eventTrackers { nodes { ...M1 } } y: eventTrackers { nodes { ...M1 } } }
          fragment M1 on EventTracker { x: datasetGroup { ...L2 } y: datasetGroup { ...L2 } }
          fragment L2 on DatasetGroup { x: eventTrackers { nodes { ...M2 } } y: eventTrackers { nodes { ...M2 } } }
          fragment M2 on EventTracker { x: datasetGroup { ...L3 } y: datasetGroup { ...L3 } }
          fragment L3 on DatasetGroup { x: eventTrackers { nodes { name } } y: eventTrackers { nodes { name } } }`,
      },
    },
    status: 400,
    codes: ['QUERY_TOO_COMPLEX', 'QUERY_TOO_DEEP'],
  },
  {
    name: 'fragment cycle between two fragments',
    request: {
      json: {
        query: `{ datasetGroup(arn: "${G}") { ...A } }
          fragment A on DatasetGroup { eventTrackers { nodes { datasetGroup { ...B } } } }
          fragment B on DatasetGroup { name ...A }`,
      },
    },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
  },
  {
    name: 'fragment that spreads itself',
    request: { json: { query: `{ ...Q } fragment Q on Query { __typename ...Q }` } },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
  },
  {
    name: 'fragment cycle through three fragments at the root',
    request: {
      json: {
        query: `{ ...A } fragment A on Query { ...B } fragment B on Query { ...C } fragment C on Query { __typename ...A }`,
      },
    },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
  },
  {
    name: 'directive bomb: 50 @skip on one field',
    request: { json: { query: `{ __typename ${repeat(50, () => '__typename @skip(if: false)')} }` } },
    status: 400,
    codes: ['TOO_MANY_DIRECTIVES'],
  },
  {
    name: 'unknown directives',
    request: { json: { query: `{ internetEvent(eventId: "evt-active-1") @exec(cmd: "rm -rf /") { eventId } }` } },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
  },
  {
    name: 'token bomb: 6,000 fields',
    request: { json: { query: `{ ${repeat(6000, () => 'a')} }` } },
    status: 400,
    codes: ['TOO_MANY_TOKENS'],
  },
  {
    name: 'token bomb: a list literal of 6,000 ids',
    request: { json: { query: `{ nodes(ids: [${repeat(6000, () => '1', ',')}]) { id } }` } },
    status: 400,
    codes: ['TOO_MANY_TOKENS'],
  },
  {
    name: 'query text over 16 KiB of comment padding',
    request: { json: { query: `# ${'x'.repeat(20_000)}\n{ __typename }` } },
    status: 413,
    codes: ['QUERY_TOO_LARGE'],
  },
  {
    name: 'huge string literal argument (100 KB)',
    request: { json: { query: `{ eventStream(domainName: "${'d'.repeat(100_000)}", name: "orders") { name } }` } },
    status: 413,
    codes: ['QUERY_TOO_LARGE'],
  },
  {
    name: 'huge string through a variable (200 KB)',
    request: {
      json: {
        query: 'query($d: String!) { eventStream(domainName: $d, name: "orders") { name } }',
        variables: { d: 'd'.repeat(200_000) },
      },
    },
    status: 200,
    data: { eventStream: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'request body over the body limit (300 KB)',
    request: { json: { query: '{ __typename }', variables: { pad: 'p'.repeat(300_000) } } },
    status: 413,
    codes: ['PAYLOAD_TOO_LARGE'],
  },
  {
    name: 'request body of 5 MB',
    request: {
      raw: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"query":"{ __typename }","x":"${'y'.repeat(5_000_000)}"}`,
      },
    },
    status: 413,
    codes: ['PAYLOAD_TOO_LARGE'],
  },
  {
    name: 'nodes() with 101 ids',
    request: {
      json: {
        query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        variables: { ids: Array.from({ length: 101 }, (_, i) => `evt-${i}`) },
      },
    },
    status: 400,
    codes: ['LIST_TOO_LONG'],
  },
  {
    name: 'nodes() with 10,000 ids',
    request: {
      json: {
        query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        variables: { ids: Array.from({ length: 10_000 }, (_, i) => `e${i}`) },
      },
    },
    status: 400,
    codes: ['LIST_TOO_LONG'],
  },
  {
    // Distinct keys, not representations, count: 500 keys fit MAX_ENTITIES, but their lookups exceed the budget.
    name: '_entities() with 500 distinct keys',
    request: {
      json: {
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on InternetEvent { eventId } } }',
        variables: { r: Array.from({ length: 500 }, (_, i) => ({ __typename: 'InternetEvent', eventId: `evt-${i}` })) },
      },
    },
    status: 400,
    codes: ['AWS_CALL_BUDGET_EXCEEDED'],
  },
  {
    // Certain whatever the data: 3 x 80 ids, each a GetEventStream (createdAt is not in list summaries).
    name: 'over the AWS-call budget: three id lists of 80 streams that each need a Get',
    request: {
      json: {
        query: `query($a: [ID!]!, $b: [ID!]!, $c: [ID!]!) { ${repeat(3, (i) => `n${i}: nodes(ids: $${'abc'[i]}) { ... on EventStream { createdAt } }`)} }`,
        variables: Object.fromEntries(
          ['a', 'b', 'c'].map((v) => [
            v,
            Array.from({ length: 80 }, (_, j) => arns.stream('us-east-1', 'bulk', `${v}-${j}`)),
          ]),
        ),
      },
    },
    status: 400,
    codes: ['AWS_CALL_BUDGET_EXCEEDED'],
  },
  {
    // 100 trackers, each with its dataset group and that group's trackers' tracking ids: 400 calls at least.
    name: 'over the AWS-call budget through variables',
    request: {
      json: {
        query: `query($ids: [ID!]!) { nodes(ids: $ids) { ... on EventTracker { datasetGroup { eventTrackers { nodes { trackingId } } } } } }`,
        variables: { ids: Array.from({ length: 100 }, (_, i) => arns.tracker(`t-${i}`)) },
      },
    },
    status: 400,
    codes: ['AWS_CALL_BUDGET_EXCEEDED'],
  },
  {
    name: 'structural cost bomb: six full pages of internet events',
    request: { json: { query: `{ ${repeat(6, (i) => `p${i}: internetEvents(first: 100) { ${bigSelection} }`)} }` } },
    status: 400,
    codes: ['QUERY_TOO_COMPLEX'],
  },
  {
    name: 'structural cost bomb sized by a variable: 66 aliased pages with first: $n',
    request: {
      json: {
        query: `query($n: Int) { ${repeat(66, (i) => `p${i}: internetEvents(first: $n) { ${PAGE_OF_EVENTS} }`)} }`,
        variables: { n: 100 },
      },
    },
    status: 400,
    codes: ['QUERY_TOO_COMPLEX'],
  },
  {
    name: '300 copies of one root field (12 KB, no alias)',
    request: { json: { query: `{ ${repeat(300, () => 'internetEvent(eventId: "evt-1") { eventId }')} }` } },
    status: 400,
    codes: ['TOO_MANY_REPEATED_FIELDS'],
  },
  {
    name: '300 copies of one field, each in its own inline fragment',
    request: {
      json: {
        query: `{ ${repeat(300, () => '... on Query { node(id: "e") { id } }')} }`,
      },
    },
    status: 400,
    codes: ['TOO_MANY_REPEATED_FIELDS'],
  },
  {
    name: '150 copies of one field, each in its own named fragment',
    request: {
      json: {
        query:
          `{ ${repeat(150, (i) => `...F${i}`)} } ` +
          repeat(150, (i) => `fragment F${i} on Query { node(id: "e") { id } }`),
      },
    },
    status: 400,
    codes: ['TOO_MANY_REPEATED_FIELDS'],
  },
  {
    name: 'introspection: __schema under two aliases',
    request: { json: { query: '{ a: __schema { types { name } } b: __schema { types { name } } }' } },
    status: 400,
    codes: ['INTROSPECTION_TOO_COMPLEX'],
  },
  {
    name: 'introspection: fields inside fields (the cycle that multiplies at every level)',
    request: {
      json: { query: '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }' },
    },
    status: 400,
    // graphql-js's own MaxIntrospectionDepthRule refuses it too.
    codes: ['GRAPHQL_VALIDATION_FAILED', 'INTROSPECTION_TOO_COMPLEX'],
  },
  {
    name: 'introspection: ofType nested 30 levels under __schema (which the depth limit leaves out)',
    request: {
      json: {
        query: `{ __schema { types { fields { type { ${'ofType { '.repeat(30)}name${' }'.repeat(30)} } } } } }`,
      },
    },
    status: 400,
    codes: ['INTROSPECTION_TOO_COMPLEX'],
  },
  {
    name: 'introspection: one list aliased ten times',
    request: { json: { query: `{ __schema { ${repeat(10, (i) => `t${i}: types { name }`)} } }` } },
    status: 400,
    codes: ['INTROSPECTION_TOO_COMPLEX'],
  },

  // --- Wrong types and invalid documents -----------------------------------------------------------------------
  // graphql-armor's cost multiplies by a literal `first`, so its rule refuses these before the argument checks can.
  {
    name: 'first: 1000000',
    request: { json: { query: '{ internetEvents(first: 1000000) { nodes { eventId } } }' } },
    status: 400,
    codes: ['QUERY_TOO_COMPLEX'],
  },
  {
    name: 'first: 0',
    request: { json: { query: '{ eventTrackers(first: 0) { nodes { name } } }' } },
    status: 200,
    data: { eventTrackers: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'negative first through a variable',
    request: {
      json: {
        query: 'query($n: Int) { eventStreams(domainName: "retail", first: $n) { nodes { name } } }',
        variables: { n: -5 },
      },
    },
    status: 200,
    data: { eventStreams: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'first beyond a 32-bit Int (literal)',
    request: { json: { query: '{ internetEvents(first: 2147483648) { nodes { eventId } } }' } },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_COMPLEX'],
  },
  {
    name: 'first beyond a 32-bit Int (variable)',
    request: {
      json: { query: 'query($n: Int) { internetEvents(first: $n) { nodes { eventId } } }', variables: { n: 2 ** 40 } },
    },
    status: 400,
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a string where an Int is expected',
    request: { json: { query: '{ internetEvents(first: "10") { nodes { eventId } } }' } },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
  },
  {
    name: 'an object where a String is expected (variable)',
    request: {
      json: {
        query: 'query($d: String!) { eventStream(domainName: $d, name: "orders") { name } }',
        variables: { d: { $gt: '' } },
      },
    },
    status: 400,
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'an enum value that does not exist',
    request: { json: { query: '{ internetEvents(status: BROKEN) { nodes { eventId } } }' } },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
  },
  {
    name: 'a DateTime that is not a date (variable)',
    request: {
      json: {
        query: 'query($t: DateTime) { internetEvents(startTime: $t) { nodes { eventId } } }',
        variables: { t: '2024-13-45T99:99:99Z; DROP TABLE' },
      },
    },
    status: 400,
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a required argument missing',
    request: { json: { query: '{ eventStream(name: "orders") { name } }' } },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
  },
  {
    name: 'a required variable missing',
    request: { json: { query: 'query($arn: String!) { eventTracker(arn: $arn) { name } }', variables: {} } },
    status: 400,
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'an unknown field',
    request: { json: { query: '{ eventStream(domainName: "retail", name: "orders") { password } }' } },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
  },
  {
    name: 'a mutation with arguments it does not take and no selection',
    request: { json: { query: 'mutation { deleteEventStream(name: "orders") }' } },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
  },
  {
    name: 'a subscription',
    request: { json: { query: 'subscription { internetEvents { eventId } }' } },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
  },
  {
    name: 'a syntax error',
    request: { json: { query: '{ internetEvent(eventId: "evt-active-1") { eventId }' } },
    status: 400,
    codes: ['GRAPHQL_PARSE_FAILED'],
  },
  {
    name: 'an unterminated string',
    request: { json: { query: '{ internetEvent(eventId: "evt-active-1) { eventId } }' } },
    status: 400,
    codes: ['GRAPHQL_PARSE_FAILED'],
  },
  {
    name: 'a NUL character in the query text',
    request: { json: { query: '{ __typename \u0000 }' } },
    status: 400,
    codes: ['GRAPHQL_PARSE_FAILED'],
  },
  {
    name: 'an operationName that names no operation',
    request: { json: { query: 'query A { __typename }', operationName: 'B\r\nX-Injected: 1' } },
    status: 400,
    codes: ['OPERATION_RESOLUTION_FAILURE'],
  },
  {
    name: 'two anonymous operations',
    request: { json: { query: '{ __typename } { __typename }' } },
    status: 400,
    codes: ['GRAPHQL_VALIDATION_FAILED'],
  },

  // --- Bodies and transport -------------------------------------------------------------------------------------
  {
    name: 'invalid UTF-8 in the body (lone continuation byte)',
    request: { raw: { method: 'POST', headers: { 'content-type': 'application/json' }, body: invalidUtf8([0x80]) } },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'overlong UTF-8 encoding of a slash',
    request: {
      raw: { method: 'POST', headers: { 'content-type': 'application/json' }, body: invalidUtf8([0xc0, 0xaf]) },
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'UTF-8-encoded UTF-16 surrogate',
    request: {
      raw: { method: 'POST', headers: { 'content-type': 'application/json' }, body: invalidUtf8([0xed, 0xa0, 0x80]) },
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'a body that is not JSON',
    request: {
      raw: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": "{ __typename }"' },
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'prototype pollution through __proto__',
    request: {
      raw: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }","__proto__":{"isAdmin":true}}',
      },
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'prototype pollution through constructor.prototype',
    request: {
      raw: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }","variables":{"constructor":{"prototype":{"x":1}}}}',
      },
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'an empty JSON body',
    request: { raw: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' } },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'a JSON string instead of an object',
    request: { json: '{ __typename }' },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  { name: 'a query that is a number', request: { json: { query: 42 } }, status: 400, codes: ['BAD_REQUEST'] },
  {
    name: 'variables that are a string',
    request: { json: { query: '{ __typename }', variables: 'x' } },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'a batch of two operations',
    request: {
      json: [{ query: '{ internetEvent(eventId: "evt-active-1") { eventId } }' }, { query: '{ __typename }' }],
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'a batch of 1,000 operations',
    request: {
      json: Array.from({ length: 1000 }, () => ({ query: '{ internetEvent(eventId: "evt-active-1") { eventId } }' })),
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'a text/plain POST (cross-site request forgery)',
    request: {
      raw: {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '{"query":"{ internetEvent(eventId: \\"evt-active-1\\") { eventId } }"}',
      },
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'a form-encoded POST',
    request: {
      raw: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'query=%7B__typename%7D',
      },
    },
    status: 415,
    codes: ['UNSUPPORTED_MEDIA_TYPE'],
  },
  {
    name: 'an XML body',
    request: {
      raw: {
        method: 'POST',
        headers: { 'content-type': 'application/xml' },
        body: '<!DOCTYPE x [<!ENTITY a "a">]><q>&a;</q>',
      },
    },
    status: 415,
    codes: ['UNSUPPORTED_MEDIA_TYPE'],
  },
  {
    name: 'a GET without a header that proves it is not cross-site',
    request: {
      raw: {
        method: 'GET',
        search: `?query=${encodeURIComponent('{ internetEvent(eventId: "evt-active-1") { eventId } }')}`,
      },
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'representations nested 64 levels deep',
    request: {
      json: {
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on InternetEvent { eventId } } }',
        variables: { r: [JSON.parse(`${'{"a":'.repeat(64)}1${'}'.repeat(64)}`)] },
      },
    },
    status: 200,
    data: { _entities: [null] },
    codes: ['BAD_USER_INPUT'],
  },

  // --- Identifiers with path tricks, encodings and control characters ---------------------------------------------
  {
    name: 'a stream name with ../',
    request: { json: { query: '{ eventStream(domainName: "retail", name: "../../domains/other") { name } }' } },
    status: 200,
    data: { eventStream: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a domain name with an encoded slash',
    request: {
      json: { query: '{ eventStream(domainName: "retail%2Fevent-streams%2Forders", name: "orders") { name } }' },
    },
    status: 200,
    data: { eventStream: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a double-encoded slash',
    request: { json: { query: '{ eventStreams(domainName: "retail%252F..") { nodes { name } } }' } },
    status: 200,
    data: { eventStreams: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a tracker ARN that climbs out of its resource with ../',
    request: {
      json: {
        query: `{ eventTracker(arn: "arn:aws:personalize:us-east-1:${ACCOUNT}:event-tracker/../dataset-group/shop") { name } }`,
      },
    },
    status: 200,
    data: { eventTracker: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a tracker ARN with an encoded slash',
    request: {
      json: {
        query: `{ eventTracker(arn: "arn:aws:personalize:us-east-1:${ACCOUNT}:event-tracker/shop-tracker%2F..%2Fx") { name } }`,
      },
    },
    status: 200,
    data: { eventTracker: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a stream ARN with ../ segments through node()',
    request: {
      json: {
        query: `{ node(id: "arn:aws:profile:us-east-1:${ACCOUNT}:domains/retail/event-streams/../../bulk/event-streams/bulk-00") { id } }`,
      },
    },
    status: 200,
    data: { node: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'an internet event ARN with ../ before a real id',
    request: {
      json: { query: `{ node(id: "arn:aws:internetmonitor::${ACCOUNT}:internet-event/../../evt-active-1") { id } }` },
    },
    status: 200,
    data: { node: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'an internet event id with backslashes',
    request: { json: { query: '{ internetEvent(eventId: "..\\\\..\\\\evt-active-1") { eventId } }' } },
    status: 200,
    data: { internetEvent: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'an ARN with a newline',
    request: {
      json: {
        query: 'query($a: String!) { eventTracker(arn: $a) { name } }',
        variables: { a: `${T}\nX-Amz-Target: AmazonPersonalize.DeleteEventTracker` },
      },
    },
    status: 200,
    data: { eventTracker: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a name with a NUL character',
    request: {
      json: {
        query: 'query($n: String!) { eventStream(domainName: "retail", name: $n) { name } }',
        variables: { n: 'orders\u0000' },
      },
    },
    status: 200,
    data: { eventStream: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a name with a right-to-left override',
    request: {
      json: {
        query: 'query($n: String!) { eventStream(domainName: "retail", name: $n) { name } }',
        variables: { n: 'sredro\u202e' },
      },
    },
    status: 200,
    data: { eventStream: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a name with CRLF header injection',
    request: {
      json: {
        query: 'query($n: String!) { eventStream(domainName: "retail", name: $n) { name } }',
        variables: { n: 'orders\r\nHost: evil.example' },
      },
    },
    status: 200,
    data: { eventStream: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'an id with a tab',
    request: { json: { query: 'query($i: ID!) { node(id: $i) { id } }', variables: { i: 'evt-active-1\t' } } },
    status: 200,
    data: { node: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a cursor that this gateway did not issue',
    request: {
      json: {
        query: '{ eventStreams(domainName: "retail", after: "eyJsIjoiZm9yZ2VkIiwicyI6MH0") { nodes { name } } }',
      },
    },
    status: 200,
    data: { eventStreams: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a cursor that smuggles an AWS token with control characters',
    request: {
      json: {
        query:
          '{ eventStreams(domainName: "retail", after: "' +
          Buffer.from(JSON.stringify({ l: 'x', s: 0, t: 'tok\u0000en' })).toString('base64url') +
          '") { nodes { name } } }',
      },
    },
    status: 200,
    data: { eventStreams: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'an unknown region',
    request: {
      json: { query: '{ eventStream(domainName: "retail", name: "orders", region: "mars-north-1") { name } }' },
    },
    status: 200,
    data: { eventStream: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a region with a path trick',
    request: { json: { query: '{ eventTrackers(region: "us-east-1/../eu-west-1") { nodes { name } } }' } },
    status: 200,
    data: { eventTrackers: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a region in upper case',
    request: { json: { query: '{ eventTrackers(region: "US-EAST-1") { nodes { name } } }' } },
    status: 200,
    data: { eventTrackers: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'an ARN in a region the gateway does not serve',
    request: {
      json: { query: `{ datasetGroup(arn: "arn:aws:personalize:xx-fake-9:${ACCOUNT}:dataset-group/shop") { name } }` },
    },
    status: 200,
    data: { datasetGroup: null },
    codes: ['BAD_USER_INPUT'],
  },
  {
    // Beside good ids, the good ones are answered: test/integration/errors.test.ts.
    name: 'nodes() with hostile ids only',
    request: {
      json: {
        query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }',
        variables: { ids: [`${STREAM}/..%2F..`, 'evt-active-1\u0000'] },
      },
    },
    status: 200,
    data: { nodes: [null, null] },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: '_entities() with a hostile ARN in a representation',
    request: {
      json: {
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on EventStream { name } } }',
        variables: {
          r: [
            {
              __typename: 'EventStream',
              arn: `arn:aws:profile:us-east-1:${ACCOUNT}:domains/retail/event-streams/..%2Forders`,
            },
          ],
        },
      },
    },
    status: 200,
    data: { _entities: [null] },
    codes: ['BAD_USER_INPUT'],
  },

  // --- Inputs that used to end in a 5xx or an internal error ------------------------------------------------------
  {
    name: 'variables nested 100,000 arrays deep',
    request: {
      raw: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"query":"${ENTITY_TYPENAMES}","variables":{"r":` + `${'['.repeat(100_000)}${']'.repeat(100_000)}}}`,
      },
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'GET variables nested 3,000 arrays deep',
    request: {
      raw: {
        method: 'GET',
        search:
          `?query=${encodeURIComponent(ENTITY_TYPENAMES)}` +
          `&variables={"r":${'['.repeat(3_000)}${']'.repeat(3_000)}}`,
        headers: { 'apollo-require-preflight': 'true' },
      },
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  ...['Query', 'toString', '__proto__', 'Node', '_Service'].map((typename) => ({
    name: `_entities() with __typename "${typename}", which is no entity type`,
    request: {
      json: {
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
        variables: { r: [{ __typename: typename, arn: STREAM }] },
      },
    },
    // Refused at its own index (null with the error there), as every representation is screened on its own.
    status: 200,
    data: { _entities: [null] },
    codes: ['BAD_USER_INPUT'],
  })),
  {
    name: '_entities() with a representation without __typename',
    request: {
      json: {
        query: 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
        variables: { r: [{ eventId: 'evt-active-1' }] },
      },
    },
    status: 200,
    data: { _entities: [null] },
    codes: ['BAD_USER_INPUT'],
  },
  {
    name: 'a persisted query of version 2',
    request: {
      json: {
        query: '{ __typename }',
        extensions: { persistedQuery: { version: 2, sha256Hash: 'ab'.repeat(32) } },
      },
    },
    status: 400,
    codes: ['BAD_REQUEST'],
  },
  {
    name: 'an operationName of 200 KB',
    request: { json: { query: 'query A { __typename }', operationName: 'B'.repeat(200_000) } },
    status: 400,
    codes: ['OPERATION_RESOLUTION_FAILURE'],
  },
];
