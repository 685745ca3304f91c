import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ESTATE_ENV,
  MEMBER,
  OWN,
  REGIONS,
  UNREACHABLE,
  domainOf,
  estateFixtures,
  groupArn,
  kinesisArn,
  streamArn,
} from '../helpers/estate.js';
import { type GraphQLResponse, type Stack, startStack } from '../helpers/stack.js';

/*
 * The estate against the emulator, over real HTTP with the real SDK clients: the gateway's own account and a member
 * account (assumed role) with data in two regions each, and a third configured account whose role does not exist.
 */

interface StreamPage {
  nodes: Array<{ arn: string; state: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    fixtures: estateFixtures(),
    env: { ...ESTATE_ENV, CACHE_STORE: 'none', RESPONSE_CACHE_MAX_BYTES: '0' },
  });
});
afterAll(() => stack?.close());

const stats = () =>
  stack.emulator.stats() as ReturnType<Stack['emulator']['stats']> & {
    byAccount: Record<string, Record<string, number>>;
    assumeRoleByAccount: Record<string, number>;
  };

describe('lists over the estate', () => {
  it('lists the domains of every account and region, and one error per scope of the unreachable account', async () => {
    const res = await stack.query(`{
      domains(accounts: ["*"], regions: ["*"]) { nodes { name accountId region arn tags { key value } } }
    }`);
    const expected = [OWN, MEMBER].flatMap((account) =>
      REGIONS.map((region) => ({
        name: domainOf(account, region),
        accountId: account,
        region,
        arn: `arn:aws:profile:${region}:${account}:domains/${domainOf(account, region)}`,
        tags: [{ key: 'owner', value: account }],
      })),
    );
    expect(res.data?.domains.nodes).toEqual(expected);
    expect(res.errors).toHaveLength(REGIONS.length);
    for (const [i, region] of REGIONS.entries()) {
      expect(res.errors?.[i]).toMatchObject({
        path: ['domains'],
        extensions: { code: 'FORBIDDEN', account: UNREACHABLE, region, service: 'sts', operation: 'AssumeRole' },
      });
    }
    // Each account's calls were signed for that account: served from its own data.
    // The gateway's own credentials sign one AssumeRole per member account, whatever the number of regions.
    expect(stats().byAccount[OWN]).toEqual({ 'profile:ListDomains': 2, 'sts:AssumeRole': 2 });
    expect(stats().assumeRoleByAccount).toEqual({ [MEMBER]: 1, [UNREACHABLE]: 1 });
    expect(stats().byAccount[MEMBER]).toEqual({ 'profile:ListDomains': 2 });
  });

  it('drops the expected errors with ignoreErrors', async () => {
    const res = await stack.query(`{
      datasetGroups(accounts: ["*"], regions: ["*"], ignoreErrors: [FORBIDDEN]) { nodes { name accountId region } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.datasetGroups.nodes).toHaveLength(4);
  });

  it('lists dataset groups with their trackers across accounts', async () => {
    const res = await stack.query(`{
      datasetGroups(accounts: ["${OWN}", "${MEMBER}"], regions: ["*"]) {
        nodes { arn accountId region status eventTrackers { nodes { name accountId region status } } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.datasetGroups.nodes).toEqual(
      [OWN, MEMBER].flatMap((account) =>
        REGIONS.map((region) => ({
          arn: groupArn(account, region, 'recs'),
          accountId: account,
          region,
          status: 'ACTIVE',
          eventTrackers: { nodes: [{ name: 'recs-tracker', accountId: account, region, status: 'ACTIVE' }] },
        })),
      ),
    );
  });

  it('lists the event streams of every domain in scope, filtered, with the Kinesis stream behind each', async () => {
    const res = await stack.query(`{
      eventStreams(accounts: ["*"], regions: ["*"], destinationStatus: UNHEALTHY, ignoreErrors: [FORBIDDEN]) {
        nodes { arn accountId region destination { status kinesisStream { arn accountId region status mode } } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.eventStreams.nodes).toEqual(
      [OWN, MEMBER].flatMap((account) =>
        REGIONS.map((region) => ({
          arn: streamArn(account, region, domainOf(account, region), 'clicks'),
          accountId: account,
          region,
          destination: {
            status: 'UNHEALTHY',
            kinesisStream: {
              arn: kinesisArn(account, region, 'clicks-kds'),
              accountId: account,
              region,
              status: 'UPDATING',
              mode: 'ON_DEMAND',
            },
          },
        })),
      ),
    );
    // Each Kinesis stream was described in its own account: one call per stream.
    expect(stats().byAccount[MEMBER]?.['kinesis:DescribeStreamSummary']).toBe(2);
  });

  it('takes `first` as the first N matching items and resumes every scope where it stopped', async () => {
    const query = `query($after: String) {
      eventStreams(accounts: ["${OWN}", "${MEMBER}"], regions: ["*"], state: RUNNING, first: 3, after: $after) {
        nodes { arn state } pageInfo { hasNextPage endCursor }
      }
    }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: GraphQLResponse<{ eventStreams: StreamPage }> = await stack.query(query, { after });
      expect(res.errors).toBeUndefined();
      const connection: StreamPage = res.data!.eventStreams;
      expect(connection.nodes.length).toBeLessThanOrEqual(3);
      for (const node of connection.nodes) {
        expect(node.state).toBe('RUNNING');
        seen.push(node.arn);
      }
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    // 3 running streams in each of 4 scopes, each once, in scope order.
    const expected = [OWN, MEMBER].flatMap((account) =>
      REGIONS.flatMap((region) =>
        ['orders', 'clicks', 'audit'].map((name) => streamArn(account, region, domainOf(account, region), name)),
      ),
    );
    expect(seen.sort()).toEqual(expected.sort());
  });
});

describe('resources of other accounts', () => {
  it('looks up a node in the member account with that account’s role, and its Kinesis stream', async () => {
    stack.resetCalls();
    const arn = streamArn(MEMBER, 'eu-west-1', domainOf(MEMBER, 'eu-west-1'), 'orders');
    const res = await stack.query(
      `query($id: ID!) { node(id: $id) { ... on EventStream { arn accountId destination { kinesisStream {
        arn name accountId region status mode openShardCount retentionPeriodHours encryptionType consumerCount createdAt
      } } } } }`,
      { id: arn },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.node).toEqual({
      arn,
      accountId: MEMBER,
      destination: {
        kinesisStream: {
          arn: kinesisArn(MEMBER, 'eu-west-1', 'orders-kds'),
          name: 'orders-kds',
          accountId: MEMBER,
          region: 'eu-west-1',
          status: 'ACTIVE',
          mode: 'ON_DEMAND',
          openShardCount: 4,
          retentionPeriodHours: 24,
          encryptionType: 'KMS',
          consumerCount: 1,
          createdAt: '2024-02-01T00:00:00.000Z',
        },
      },
    });
    expect(stats().byAccount[MEMBER]).toEqual({ 'profile:GetEventStream': 1, 'kinesis:DescribeStreamSummary': 1 });
    expect(stats().byAccount[OWN]).toBeUndefined();
  });

  it('resolves nodes and entity references of both accounts, each with its own account’s credentials', async () => {
    stack.resetCalls();
    const ids = [OWN, MEMBER].map((account) => groupArn(account, 'us-east-1', 'recs'));
    const res = await stack.query(
      `query($ids: [ID!]!, $r: [_Any!]!) {
        nodes(ids: $ids) { ... on DatasetGroup { arn accountId } }
        _entities(representations: $r) { ... on DatasetGroup { arn accountId } }
      }`,
      { ids, r: ids.map((arn) => ({ __typename: 'DatasetGroup', arn })) },
    );
    expect(res.errors).toBeUndefined();
    const expected = [OWN, MEMBER].map((account, i) => ({ arn: ids[i], accountId: account }));
    expect(res.data?.nodes).toEqual(expected);
    expect(res.data?._entities).toEqual(expected);
    // One Describe per group (the loaders share them between the two fields), each in its own account.
    expect(stats().byAccount[OWN]?.['personalize:DescribeDatasetGroup']).toBe(1);
    expect(stats().byAccount[MEMBER]).toEqual({ 'personalize:DescribeDatasetGroup': 1 });
  });

  it('answers null for a destination that is not a Kinesis stream, at no Kinesis call', async () => {
    stack.resetCalls();
    const res = await stack.query(
      `query($id: ID!) { node(id: $id) { ... on EventStream { destination { uri kinesisStream { arn } } } } }`,
      { id: streamArn(OWN, 'us-east-1', domainOf(OWN, 'us-east-1'), 'audit') },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.node.destination.kinesisStream).toBeNull();
    expect(stack.calls()['kinesis:DescribeStreamSummary']).toBeUndefined();
  });

  it('assumes each member role at most once across queries', async () => {
    // The first list assumed both roles, once each (see above); the sessions (and the failure) answer from then on.
    stack.resetCalls();
    for (let i = 0; i < 3; i++) {
      const res = await stack.query(
        '{ domains(accounts: ["*"]) { nodes { name } } eventTrackers(accounts: ["*"]) { nodes { name } } }',
      );
      expect(res.data?.domains.nodes).toHaveLength(2);
    }
    expect(stats().assumeRoleByAccount).toEqual({});
    expect(stats().byAccount[MEMBER]).toEqual({ 'profile:ListDomains': 3, 'personalize:ListEventTrackers': 3 });
  });
});

describe('account ids checked before any call', () => {
  it.each([
    ['a malformed account id', '{ domains(accounts: ["12345"]) { nodes { name } } }', 'accounts[0]'],
    ['an account not configured', '{ domains(accounts: ["444444444444"]) { nodes { name } } }', 'accounts[0]'],
    ['"*" beside names', `{ datasetGroups(accounts: ["*", "${OWN}"]) { nodes { name } } }`, 'accounts'],
    [
      'the ARN of an account not configured',
      `{ node(id: "${streamArn('444444444444', 'us-east-1', 'd', 's')}") { id } }`,
      'id',
    ],
    ['a region not allowed', '{ eventTrackers(regions: ["ap-south-1"]) { nodes { name } } }', 'regions[0]'],
  ])('refuses %s with BAD_USER_INPUT at zero calls', async (_what, query, argument) => {
    stack.resetCalls();
    const res = await stack.query(query);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(stack.totalCalls()).toBe(0);
    expect(stats().assumeRoleByAccount).toEqual({});
  });
});

describe('partial answers', () => {
  it('answers the other scopes when one region is down, with one error naming its account and region', async () => {
    stack.emulator.setFaults({ rules: [{ service: 'personalize', region: 'eu-west-1', account: MEMBER, down: true }] });
    try {
      const res = await stack.query(`{
        datasetGroups(accounts: ["${OWN}", "${MEMBER}"], regions: ["*"]) { nodes { accountId region } }
        domains(accounts: ["${MEMBER}"], regions: ["eu-west-1"]) { nodes { name } }
      }`);
      expect(res.data?.datasetGroups.nodes).toEqual([
        { accountId: OWN, region: 'eu-west-1' },
        { accountId: OWN, region: 'us-east-1' },
        { accountId: MEMBER, region: 'us-east-1' },
      ]);
      // Another service of the same account and region is not affected.
      expect(res.data?.domains.nodes).toEqual([{ name: domainOf(MEMBER, 'eu-west-1') }]);
      expect(res.errors).toHaveLength(1);
      expect(res.errors?.[0]).toMatchObject({
        path: ['datasetGroups'],
        extensions: {
          code: 'UPSTREAM_UNAVAILABLE',
          account: MEMBER,
          region: 'eu-west-1',
          service: 'personalize',
          operation: 'ListDatasetGroups',
        },
      });
    } finally {
      stack.emulator.clearFaults();
    }
  });

  it('nulls a Kinesis stream in an account the gateway has no role for, with an error naming the account', async () => {
    const foreign = '444444444444';
    // The own account's orders stream, writing to a stream of an account the gateway is not configured for.
    const fixtures = JSON.parse(
      JSON.stringify(estateFixtures()).replace(
        kinesisArn(OWN, 'us-east-1', 'orders-kds'),
        kinesisArn(foreign, 'us-east-1', 'elsewhere'),
      ),
    ) as ReturnType<typeof estateFixtures>;
    const other = await startStack({ fixtures, env: ESTATE_ENV });
    try {
      const res = await other.query(
        `query($id: ID!) { node(id: $id) { ... on EventStream { name destination { uri kinesisStream { arn } } } } }`,
        { id: streamArn(OWN, 'us-east-1', domainOf(OWN, 'us-east-1'), 'orders') },
      );
      expect(res.data?.node).toEqual({
        name: 'orders',
        destination: { uri: kinesisArn(foreign, 'us-east-1', 'elsewhere'), kinesisStream: null },
      });
      expect(res.errors?.[0]).toMatchObject({
        path: ['node', 'destination', 'kinesisStream'],
        extensions: { code: 'FORBIDDEN', account: foreign, service: 'kinesis' },
      });
      expect(other.calls()['kinesis:DescribeStreamSummary']).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describe('the AWS-call budget over many scopes', () => {
  it('counts one first page per scope: four scopes fit a budget of 5, six are refused at zero calls', async () => {
    const small = await startStack({ fixtures: estateFixtures(), env: { ...ESTATE_ENV, AWS_CALL_BUDGET: '5' } });
    try {
      // Two accounts × two regions: at least 4 calls (one first page each), whatever the data.
      const four = await small.query(`{
        datasetGroups(accounts: ["${OWN}", "${MEMBER}"], regions: ["*"]) { nodes { accountId region } }
      }`);
      expect(four.errors).toBeUndefined();
      expect(four.data?.datasetGroups.nodes).toHaveLength(4);
      expect(small.calls()['personalize:ListDatasetGroups']).toBe(4);
      small.resetCalls();
      // Three accounts × two regions: at least 6.
      const all = await small.query('{ datasetGroups(accounts: ["*"], regions: ["*"]) { nodes { name } } }');
      expect(all.errors?.[0]?.extensions).toMatchObject({ code: 'AWS_CALL_BUDGET_EXCEEDED', estimatedAwsCalls: 6 });
      expect(small.totalCalls()).toBe(0);
    } finally {
      await small.close();
    }
  });
});

describe('filters, nested connections, settings and caching', () => {
  it('filters trackers by status while paging, and pages a domain’s streams by state', async () => {
    const res = await stack.query(`{
      active: eventTrackers(accounts: ["*"], regions: ["*"], status: ACTIVE, ignoreErrors: [FORBIDDEN]) {
        nodes { accountId }
      }
      failed: eventTrackers(accounts: ["*"], regions: ["*"], status: CREATE_FAILED, ignoreErrors: [FORBIDDEN]) {
        nodes { name }
      }
      domains(accounts: ["${MEMBER}"], regions: ["us-east-1"]) {
        nodes { eventStreams(state: STOPPED) { nodes { name state } } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data?.active.nodes).toHaveLength(4);
    expect(res.data?.failed.nodes).toEqual([]);
    expect(res.data?.domains.nodes).toEqual([{ eventStreams: { nodes: [{ name: 'returns', state: 'STOPPED' }] } }]);
  });

  it('drops the codes of IGNORE_ERROR_CODES from every list, and caches each account’s Kinesis streams', async () => {
    const cached = await startStack({
      fixtures: estateFixtures(),
      env: { ...ESTATE_ENV, IGNORE_ERROR_CODES: 'FORBIDDEN' },
    });
    try {
      const query = `{
        eventStreams(accounts: ["*"], regions: ["us-east-1"], destinationStatus: UNHEALTHY) {
          nodes { accountId destination { kinesisStream { accountId status } } }
        }
      }`;
      const first = await cached.query(query);
      expect(first.errors).toBeUndefined();
      expect(first.data?.eventStreams.nodes).toEqual(
        [OWN, MEMBER].map((account) => ({
          accountId: account,
          destination: { kinesisStream: { accountId: account, status: 'UPDATING' } },
        })),
      );
      expect(cached.calls()['kinesis:DescribeStreamSummary']).toBe(2);
      // The streams (and lists) come from the resource cache now, each under its own account.
      cached.resetCalls();
      const again = await cached.query(query.replace('accountId destination', 'destination'));
      expect(again.errors).toBeUndefined();
      expect(cached.calls()['kinesis:DescribeStreamSummary']).toBeUndefined();
    } finally {
      await cached.close();
    }
  });

  it('lets no cache keep a partial answer', async () => {
    const whole = await stack.query(`{ domains(accounts: ["${OWN}", "${MEMBER}"]) { nodes { name } } }`);
    expect(whole.errors).toBeUndefined();
    expect(whole.headers.get('cache-control')).toMatch(/max-age=[1-9]/);
    const res = await stack.query('{ domains(accounts: ["*"]) { nodes { name } } }');
    expect(res.errors?.[0]?.extensions?.account).toBe(UNREACHABLE);
    expect(res.headers.get('cache-control')).not.toMatch(/max-age=[1-9]/);
  });
});

describe('while the gateway does not know its own account', () => {
  const STRANGER = '444444444444';
  const strangerTracker = `arn:aws:personalize:us-east-1:${STRANGER}:event-tracker/someone-elses`;
  const strangerGroup = groupArn(STRANGER, 'us-east-1', 'someone-elses');
  let bad: Stack;
  beforeAll(async () => {
    // Keys AWS rejects: GetCallerIdentity fails, so the default account is unknown.
    bad = await startStack({
      fixtures: estateFixtures(),
      env: {
        ...ESTATE_ENV,
        AWS_ACCESS_KEY_ID: 'AKIAWRONGKEY',
        AWS_SECRET_ACCESS_KEY: 'wrong-secret-value',
        AWS_MAX_ATTEMPTS: '1',
        CACHE_STORE: 'none',
        RESPONSE_CACHE_MAX_BYTES: '0',
      },
    });
  });
  afterAll(() => bad?.close());

  /** Calls other than the account lookup each request retries. */
  const listOrDescribeCalls = () =>
    Object.keys(bad.calls()).filter((key) => !key.endsWith(':GetCallerIdentity') && !key.endsWith(':AssumeRole'));

  it('fails a list of the default account, or of all, with the reason it is unknown, at zero list calls', async () => {
    // What a single lookup of the default account fails with.
    const single = await bad.query(
      `{ eventStream(domainName: "${domainOf(OWN, 'eu-west-1')}", name: "orders") { name } }`,
    );
    const reason = single.errors?.[0]?.extensions?.code;
    expect(['FORBIDDEN', 'CREDENTIALS_UNAVAILABLE']).toContain(reason);
    bad.resetCalls();
    const res = await bad.query(`{
      omitted: datasetGroups { nodes { name } }
      all: datasetGroups(accounts: ["*"]) { nodes { name } }
      domains(accounts: ["*"], regions: ["*"]) { nodes { name } }
      streams: eventStreams { nodes { name } }
    }`);
    const byPath = Object.fromEntries((res.errors ?? []).map((e) => [e.path?.[0], e.extensions?.code]));
    expect(byPath).toEqual({ omitted: reason, all: reason, domains: reason, streams: reason });
    expect(listOrDescribeCalls()).toEqual([]);
  });

  it('accepts only member accounts in ARNs: another fails with that reason before any call', async () => {
    bad.resetCalls();
    const res = await bad.query(`{
      tracker: eventTracker(arn: "${strangerTracker}") { name }
      group: datasetGroup(arn: "${strangerGroup}") { name }
      trackers: eventTrackers(datasetGroupArn: "${strangerGroup}") { nodes { name } }
      named: datasetGroups(accounts: ["${STRANGER}"]) { nodes { name } }
      node(id: "${strangerTracker}") { id }
    }`);
    const codes = (res.errors ?? []).map((e) => [e.path?.[0], e.extensions?.code]);
    expect(codes).toHaveLength(5);
    for (const [, code] of codes) expect(['FORBIDDEN', 'CREDENTIALS_UNAVAILABLE']).toContain(code);
    expect(listOrDescribeCalls()).toEqual([]);
    expect(bad.emulator.stats().byAccount[STRANGER]).toBeUndefined();
  });
});

describe('sessions AWS no longer takes', () => {
  it('assumes the role again when AWS says the session expired, before the gateway’s own clock would', async () => {
    const own = await startStack({
      fixtures: estateFixtures(),
      env: { ...ESTATE_ENV, CACHE_STORE: 'none', RESPONSE_CACHE_MAX_BYTES: '0' },
    });
    try {
      const query = `{ datasetGroups(accounts: ["${MEMBER}"]) { nodes { accountId } } }`;
      const assumed = () => own.emulator.stats().assumeRoleByAccount[MEMBER] ?? 0;
      expect((await own.query(query)).data?.datasetGroups.nodes).toEqual([{ accountId: MEMBER }]);
      expect(assumed()).toBe(1);
      // AWS's clock moves past the hour-long session; the gateway's does not (it would still renew in 55 minutes).
      const moved = await fetch(`${own.emulator.url}/_emulator/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceSeconds: 3_700 }),
      });
      expect(moved.status).toBe(200);
      for (let i = 0; i < 2; i++) {
        const res = await own.query(query);
        expect(res.errors).toBeUndefined();
        expect(res.data?.datasetGroups.nodes).toEqual([{ accountId: MEMBER }]);
      }
      expect(assumed()).toBe(2);
    } finally {
      await own.close();
    }
  });
});

describe('a role assumption that does not answer', () => {
  it('fails the member scopes within about the call timeout, naming AssumeRole, and answers the others', async () => {
    const slow = await startStack({
      fixtures: estateFixtures(),
      env: { ...ESTATE_ENV, CACHE_STORE: 'none', RESPONSE_CACHE_MAX_BYTES: '0', AWS_CALL_TIMEOUT_MS: '400' },
    });
    try {
      slow.emulator.setFaults({ rules: [{ service: 'sts', operation: 'AssumeRole', latencyMs: 5_000 }] });
      const started = Date.now();
      const res = await slow.query(
        '{ datasetGroups(accounts: ["*"], regions: ["us-east-1"]) { nodes { accountId } } }',
      );
      const elapsed = Date.now() - started;
      expect(res.data?.datasetGroups.nodes).toEqual([{ accountId: OWN }]);
      expect(res.errors?.map((e) => e.extensions?.account).sort()).toEqual([MEMBER, UNREACHABLE]);
      for (const error of res.errors ?? [])
        expect(error.extensions).toMatchObject({ operation: 'AssumeRole', code: 'UPSTREAM_TIMEOUT' });
      // The call timeout (400 ms), not the emulator's 5 s, nor the SDK's attempts one after another.
      expect(elapsed).toBeLessThan(2_500);
    } finally {
      await slow.close();
    }
  });
});
