import { GraphQLError, Kind, type OperationDefinitionNode, execute, getVariableValues, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../src/catalog.js';
import { loadConfig } from '../../src/config.js';
import type { GatewayContext } from '../../src/context.js';
import { modules } from '../../src/modules/index.js';
import { walkOperation } from '../../src/preflight/walk.js';
import { buildSchema } from '../../src/schema.js';
import { ACCOUNT, arns } from '../helpers/fixtures.js';

/*
 * The schema acts on the preflight's notes (src/preflight/refusals.ts, src/federation/entities.ts): a refused root
 * field or entity representation answers its error without its resolver running. The context here has nothing a
 * resolver could use, so any resolver that ran would fail with another error.
 */

const schema = buildSchema(buildCatalog(modules));

function run(query: string, preflight: GatewayContext['preflight'], variableValues?: Record<string, unknown>) {
  const contextValue = { preflight } as unknown as GatewayContext;
  return execute({ schema, document: parse(query), contextValue, variableValues }) as Promise<{
    data?: Record<string, unknown> | null;
    errors?: readonly GraphQLError[];
  }>;
}

describe('preflight refusals in the schema', () => {
  it('answers a refused root field with the preflight’s error, without running its resolver', async () => {
    const refused = new GraphQLError('Argument "name" is refused.', { extensions: { code: 'BAD_USER_INPUT' } });
    const res = await run('{ bad: eventStream(domainName: "d", name: "n") { name } __typename }', {
      itemCosts: new Map(),
      refusedFields: new Map([['bad', refused]]),
    });
    expect(res.data).toEqual({ bad: null, __typename: 'Query' });
    expect(res.errors?.map((e) => [e.message, e.path, e.extensions.code])).toEqual([
      ['Argument "name" is refused.', ['bad'], 'BAD_USER_INPUT'],
    ]);
  });

  it('answers refused entity representations at their index, without resolving them', async () => {
    const refused = (i: number) => new GraphQLError(`no ${i}`, { extensions: { code: 'LIST_TOO_LONG' } });
    const res = await run(
      'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }',
      {
        itemCosts: new Map(),
        refusedEntities: new Map([
          [
            '_entities',
            new Map([
              [0, refused(0)],
              [1, refused(1)],
            ]),
          ],
        ]),
      },
      {
        r: [
          { __typename: 'EventStream', arn: 'a' },
          { __typename: 'EventStream', arn: 'b' },
        ],
      },
    );
    expect(res.data).toEqual({ _entities: [null, null] });
    expect(res.errors?.map((e) => [e.message, e.path])).toEqual([
      ['no 0', ['_entities', 0]],
      ['no 1', ['_entities', 1]],
    ]);
  });
});

describe('the preflight walk', () => {
  const catalog = buildCatalog(modules);
  const config = loadConfig('gateway', { ALLOWED_REGIONS: 'us-east-1,eu-west-1' });
  const argumentRules = new Map(
    [...catalog.argumentRules].map(([field, rule]) => [
      field,
      (args: Record<string, unknown>) => rule(config, args as never),
    ]),
  );
  function walk(query: string, variables: Record<string, unknown> = {}, maxEntities = 500) {
    const document = parse(query);
    const operation = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )!;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) throw coerced.errors[0];
    return walkOperation(schema, operation, [], coerced.coerced, {
      costs: catalog.costs,
      summaryGaps: catalog.summaryGaps,
      argumentRules,
      nodeForms: catalog.nodeForms,
      nodeIdContext: { scope: { partition: 'aws', accountId: ACCOUNT }, config },
      defaultPageSize: 25,
      maxListIds: 100,
      maxEntities,
    });
  }

  it('refuses a root field with a bad argument on its own, and counts no call for it', () => {
    const walked = walk(
      `{ bad: eventStreams(domainName: "retail", first: 500) { nodes { name } }
         good: internetEvent(eventId: "e") { eventId } }`,
    );
    expect([...walked.fieldErrors.keys()]).toEqual(['bad']);
    expect(walked.fieldErrors.get('bad')?.message).toBe('Argument "first" must be between 1 and 100.');
    expect(walked.argumentError).toBeUndefined();
    expect(walked.bound).toBe(1);
  });

  it('prices the distinct keys of every _entities field together, as the per-request loaders fetch them', () => {
    const streams = [
      arns.stream('us-east-1', 'retail', 'orders'),
      arns.stream('us-east-1', 'retail', 'clicks'),
      arns.stream('us-east-1', 'bulk', 'bulk-00'),
    ];
    const batch = Array.from({ length: 70 }, (_, i) => ({ __typename: 'EventStream', arn: streams[i % 3] }));
    const one = walk('query($a: [_Any!]!) { a: _entities(representations: $a) { ... on EventStream { name } } }', {
      a: batch,
    });
    const three = walk(
      `query($a: [_Any!]!, $b: [_Any!]!, $c: [_Any!]!) {
        a: _entities(representations: $a) { ... on EventStream { name } }
        b: _entities(representations: $b) { ... on EventStream { name } }
        c: _entities(representations: $c) { ... on EventStream { name } }
      }`,
      { a: batch, b: batch, c: batch },
    );
    // retail: a list bet and at most a Get each for its 2 keys (3); bulk: one Get.
    expect(one.bound).toBe(4);
    expect(three.bound).toBe(4);
    expect(three.floor).toBe(4);
  });

  it('refuses representations past MAX_ENTITIES distinct keys one by one, and prices only those it admits', () => {
    const arn = (name: string) => arns.stream('us-east-1', 'bulk', name);
    const walked = walk(
      'query($a: [_Any!]!) { _entities(representations: $a) { ... on EventStream { name } } }',
      { a: ['b-0', 'b-1', 'b-0', 'b-2', 'b-1'].map((name) => ({ __typename: 'EventStream', arn: arn(name) })) },
      2,
    );
    expect([...(walked.entityErrors.get('_entities')?.keys() ?? [])]).toEqual([3]);
    expect(walked.bound).toBe(3);
  });
});
