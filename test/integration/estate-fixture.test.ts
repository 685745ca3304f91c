import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixturesDocument } from '../../src/emulator/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

/*
 * The emulator's estate fixture (test/fixtures/estate.json: two accounts × two regions) plus a third configured
 * account whose role does not exist. Every expectation is derived from the file, so the tests hold for any data of
 * that shape.
 */

interface StreamFixture {
  EventStreamName: string;
  State: string;
  DestinationDetails: { Uri: string; Status: string };
}
interface RegionFixture {
  customerProfiles?: { domains: Array<{ DomainName: string; eventStreams?: StreamFixture[] }> };
  personalize?: {
    datasetGroups?: Array<{ name: string }>;
    eventTrackers?: Array<{ name: string; datasetGroupArn: string }>;
  };
  kinesis?: { streams: Array<{ StreamName: string; StreamStatus: string }> };
}
interface EstateFile {
  accounts: Record<string, { regions: Record<string, RegionFixture>; roles?: string[] }>;
}

const file = JSON.parse(readFileSync('test/fixtures/estate.json', 'utf8')) as EstateFile;
const [own, member] = Object.keys(file.accounts) as [string, string];
const role = file.accounts[member]?.roles?.[0] ?? 'EstateReader';
const unreachable = '333333333333';
const regions = [...new Set(Object.values(file.accounts).flatMap((a) => Object.keys(a.regions)))].sort();
const roleOf = (account: string) => `arn:aws:iam::${account}:role/${role}`;

/** Every (account, region) of the file in the order lists answer: own account first, then by id; regions sorted. */
function scopes(): Array<{ account: string; region: string; data: RegionFixture }> {
  return [
    own,
    ...Object.keys(file.accounts)
      .filter((a) => a !== own)
      .sort(),
  ].flatMap((account) =>
    regions.flatMap((region) => {
      const data = file.accounts[account]?.regions[region];
      return data ? [{ account, region, data }] : [];
    }),
  );
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    fixtures: file as unknown as FixturesDocument,
    env: {
      AWS_ACCOUNTS: `${member}=${roleOf(member)},${unreachable}=${roleOf(unreachable)}`,
      ALLOWED_REGIONS: regions.join(','),
      CACHE_STORE: 'none',
      RESPONSE_CACHE_MAX_BYTES: '0',
    },
  });
});
afterAll(() => stack?.close());

const stats = () =>
  stack.emulator.stats() as ReturnType<Stack['emulator']['stats']> & { assumeRoleByAccount: Record<string, number> };

describe('the estate fixture', () => {
  it('lists every domain of both accounts, with one error per region of the unreachable account', async () => {
    const res = await stack.query(
      '{ domains(accounts: ["*"], regions: ["*"], first: 100) { nodes { name accountId region } } }',
    );
    const expected = scopes().flatMap(({ account, region, data }) =>
      (data.customerProfiles?.domains ?? []).map((d) => ({ name: d.DomainName, accountId: account, region })),
    );
    // AWS's order within a scope is its own: compare the scopes' order and the sets.
    expect(res.data?.domains.nodes).toHaveLength(expected.length);
    expect(new Set(res.data?.domains.nodes.map(JSON.stringify))).toEqual(
      new Set(expected.map((e) => JSON.stringify(e))),
    );
    expect(res.errors?.map((e) => [e.extensions?.account, e.extensions?.region, e.extensions?.code])).toEqual(
      regions.map((region) => [unreachable, region, 'FORBIDDEN']),
    );
  });

  it('lists the dataset groups of both accounts with their trackers', async () => {
    const res = await stack.query(`{
      datasetGroups(accounts: ["*"], regions: ["*"], first: 100, ignoreErrors: [FORBIDDEN]) {
        nodes { arn accountId eventTrackers { nodes { name } } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    const expected = scopes().flatMap(({ account, region, data }) =>
      (data.personalize?.datasetGroups ?? []).map((g) => {
        const arn = `arn:aws:personalize:${region}:${account}:dataset-group/${g.name}`;
        const trackers = (data.personalize?.eventTrackers ?? []).filter((t) => t.datasetGroupArn === arn);
        return { arn, accountId: account, eventTrackers: { nodes: trackers.map((t) => ({ name: t.name })) } };
      }),
    );
    expect(new Set(res.data?.datasetGroups.nodes.map(JSON.stringify))).toEqual(
      new Set(expected.map((e) => JSON.stringify(e))),
    );
  });

  it('lists the event streams of every domain of both accounts, each with its Kinesis stream or null', async () => {
    const res = await stack.query(`{
      eventStreams(accounts: ["*"], regions: ["*"], first: 100, ignoreErrors: [FORBIDDEN]) {
        nodes { name accountId region destination { uri kinesisStream { name status accountId } } }
        pageInfo { hasNextPage }
      }
    }`);
    expect(res.errors).toBeUndefined();
    const expected = scopes().flatMap(({ account, region, data }) =>
      (data.customerProfiles?.domains ?? []).flatMap((d) =>
        (d.eventStreams ?? []).map((s) => {
          const uri = s.DestinationDetails.Uri;
          const name = /:kinesis:[^:]+:\d{12}:stream\/(.+)$/.exec(uri)?.[1];
          const stream = name ? data.kinesis?.streams.find((k) => k.StreamName === name) : undefined;
          return {
            name: s.EventStreamName,
            accountId: account,
            region,
            destination: {
              uri,
              kinesisStream: stream
                ? { name: stream.StreamName, status: stream.StreamStatus, accountId: account }
                : null,
            },
          };
        }),
      ),
    );
    expect(res.data?.eventStreams.pageInfo.hasNextPage).toBe(false);
    expect(new Set(res.data?.eventStreams.nodes.map(JSON.stringify))).toEqual(
      new Set(expected.map((e) => JSON.stringify(e))),
    );
    expect(expected.some((e) => e.destination.kinesisStream === null)).toBe(true);
  });

  it('looks up an event stream of the member account by ARN, with its Kinesis stream', async () => {
    const scope = scopes().find((s) => s.account === member && s.data.customerProfiles?.domains.length);
    const domain = scope!.data.customerProfiles!.domains[0]!;
    const stream = domain.eventStreams![0]!;
    const where = `arn:aws:profile:${scope!.region}:${member}`;
    const arn = `${where}:domains/${domain.DomainName}/event-streams/${stream.EventStreamName}`;
    const res = await stack.query(
      `query($id: ID!) { node(id: $id) {
        ... on EventStream { arn accountId destination { kinesisStream { arn } } }
      } }`,
      { id: arn },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.node).toEqual({
      arn,
      accountId: member,
      destination: { kinesisStream: { arn: stream.DestinationDetails.Uri } },
    });
  });

  it('has assumed each role at most once over all these queries', () => {
    // The stack's counters were zeroed after its start only: every query above counts.
    const assumed = stats().assumeRoleByAccount;
    expect(assumed[member]).toBe(1);
    expect(assumed[unreachable]).toBe(1);
  });

  it('refuses a malformed account id at zero calls', async () => {
    stack.resetCalls();
    const res = await stack.query('{ eventStreams(accounts: ["1234567890123"]) { nodes { name } } }');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'accounts[0]' });
    expect(stack.totalCalls()).toBe(0);
  });
});
