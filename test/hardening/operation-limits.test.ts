import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { arns, gatewayFixtures } from '../helpers/fixtures.js';
import { type Stack, startStack } from '../helpers/stack.js';

/**
 * The limits graphql-armor does not see (the hostile corpus holds the bombs): what they still let through, the
 * structural cost with variables against the same cost with literals, and the settings that move them.
 */

const PAGE_FIELDS =
  'nodes { eventId arn startedAt endedAt type status clientLocation { asName asNumber country city latitude } }';
const pages = (count: number, first: string) =>
  Array.from({ length: count }, (_, i) => `p${i}: internetEvents(first: ${first}) { ${PAGE_FIELDS} }`).join(' ');

/** What GraphiQL (graphql-js's getIntrospectionQuery with every option) asks for schema docs. */
const FULL_INTROSPECTION = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
});

const codesOf = (res: Awaited<ReturnType<Stack['query']>>) => res.errors?.map((e) => e.extensions?.code) ?? [];

describe('with the default limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ fixtures: gatewayFixtures() });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());

  it('answers ten copies of one field (MAX_FIELD_REPEATS), merged into one as GraphQL does', async () => {
    const res = await stack.query(`{ ${'internetEvent(eventId: "evt-active-1") { eventId } '.repeat(10)}}`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ internetEvent: { eventId: 'evt-active-1' } });
  });

  it('refuses eleven, before any AWS call', async () => {
    const res = await stack.query(`{ ${'internetEvent(eventId: "evt-active-1") { eventId } '.repeat(11)}}`);
    expect(res.status).toBe(400);
    expect(codesOf(res)).toEqual(['TOO_MANY_REPEATED_FIELDS']);
    expect(stack.totalCalls()).toBe(0);
  });

  it('counts a field selected directly and through fragments on an interface once per selection', async () => {
    const res = await stack.query(
      `{ nodes(ids: ["${arns.event('evt-active-1')}"]) { id ...N ... on InternetEvent { id eventId } ... on EventStream { id } } }
       fragment N on Node { id }`,
    );
    expect(res.errors).toBeUndefined();
  });

  it('refuses pages sized by a variable exactly when the same pages with a literal are refused', async () => {
    const literal = await stack.query(`{ ${pages(15, '100')} }`);
    const variable = await stack.query(`query($n: Int) { ${pages(15, '$n')} }`, { n: 100 });
    expect(codesOf(literal)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(codesOf(variable)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(variable.errors![0]!.message).toMatch(/with the variables' values/);
    expect(stack.totalCalls()).toBe(0);
  });

  it('answers the same pages with a small first, as a variable or a literal', async () => {
    const variable = await stack.query(`query($n: Int) { ${pages(15, '$n')} }`, { n: 2 });
    expect(variable.errors).toBeUndefined();
    expect(variable.data!.p0.nodes).toHaveLength(2);
    expect((await stack.query(`{ ${pages(15, '2')} }`)).errors).toBeUndefined();
  });

  it('takes a variable default value into account', async () => {
    const res = await stack.query(`query($n: Int = 100) { ${pages(15, '$n')} }`);
    expect(codesOf(res)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it("answers GraphiQL's full introspection query", async () => {
    const res = await stack.query(FULL_INTROSPECTION);
    expect(res.errors).toBeUndefined();
    expect(res.data!.__schema.types.length).toBeGreaterThan(20);
  });

  it('answers a few __type lookups side by side', async () => {
    const res = await stack.query(
      '{ a: __type(name: "EventStream") { name } b: __type(name: "InternetEvent") { fields { name } } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.a).toEqual({ name: 'EventStream' });
  });

  it('refuses more than three lists nested in introspection', async () => {
    const res = await stack.query('{ __schema { types { fields { args { type { enumValues { name } } } } } } }');
    expect(codesOf(res)).toEqual(['INTROSPECTION_TOO_COMPLEX']);
  });
});

describe('with MAX_SELECTIONS=20 and MAX_INTROSPECTION_BYTES=4096', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      fixtures: gatewayFixtures(),
      env: { MAX_SELECTIONS: '20', MAX_INTROSPECTION_BYTES: '4096' },
    });
  });
  afterAll(() => stack?.close());
  beforeEach(() => stack.resetCalls());

  it('refuses a selection set of 21 selections, though no field repeats more than three times', async () => {
    const fields = 'eventId arn status type startedAt endedAt id'.split(' ');
    const selection = fields.flatMap((f) => [f, f, f]).join(' ');
    const res = await stack.query(`{ internetEvent(eventId: "evt-active-1") { ${selection} } }`);
    expect(res.status).toBe(400);
    expect(codesOf(res)).toEqual(['SELECTION_TOO_WIDE']);
    expect(stack.totalCalls()).toBe(0);
  });

  it('answers one of 20', async () => {
    const fields = 'eventId arn status type startedAt endedAt id'.split(' ');
    const selection = [...fields, ...fields, ...fields.slice(0, 6)].join(' ');
    expect((await stack.query(`{ internetEvent(eventId: "evt-active-1") { ${selection} } }`)).errors).toBeUndefined();
  });

  it('refuses an introspection answer larger than MAX_INTROSPECTION_BYTES, and answers a small one', async () => {
    const large = await stack.query(FULL_INTROSPECTION);
    expect(large.status).toBe(400);
    expect(large.data ?? null).toBeNull();
    expect(codesOf(large)).toEqual(['INTROSPECTION_TOO_LARGE']);
    expect(large.headers.get('cache-control')).toBe('no-store');
    const small = await stack.query('{ __type(name: "InternetEvent") { name } }');
    expect(small.data).toEqual({ __type: { name: 'InternetEvent' } });
  });
});
