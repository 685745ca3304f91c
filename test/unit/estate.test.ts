import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemberCredentials } from '../../src/aws/credentials.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { scopesOf } from '../../src/estate.js';
import { GatewayError, classifyAwsError } from '../../src/errors.js';
import { type AwsPage, paginateScopes } from '../../src/pagination.js';

const OWN = { partition: 'aws', accountId: '111111111111' };
const MEMBER = '222222222222';
const ROLE = `arn:aws:iam::${MEMBER}:role/Reader`;
const AVAILABILITY = { label: 'The service', partitions: ['aws'] };

function config(env: Record<string, string> = {}) {
  return loadConfig('gateway', { AWS_ACCOUNTS: `${MEMBER}=${ROLE}`, ALLOWED_REGIONS: 'us-east-1,eu-west-1', ...env });
}

describe('AWS_ACCOUNTS', () => {
  it('maps each account id to its role', () => {
    expect([...config().aws.memberAccounts]).toEqual([[MEMBER, ROLE]]);
  });

  it.each([
    ['12345=arn:aws:iam::12345:role/R', 'must start with a 12-digit account id'],
    [`${MEMBER}`, 'needs a role ARN'],
    [`${MEMBER}=arn:aws:iam::333333333333:role/R`, 'the role must be in account'],
    [`${MEMBER}=${ROLE},${MEMBER}=${ROLE}`, 'is listed twice'],
  ])('refuses %s', (value, problem) => {
    expect(() => config({ AWS_ACCOUNTS: value })).toThrow(ConfigError);
    expect(() => config({ AWS_ACCOUNTS: value })).toThrow(problem);
  });

  it('refuses an IGNORE_ERROR_CODES entry that is no error code', () => {
    expect(() => config({ IGNORE_ERROR_CODES: 'FORBIDDEN,OOPS' })).toThrow('OOPS is not one of');
    expect([...config({ IGNORE_ERROR_CODES: 'FORBIDDEN' }).aws.ignoreErrorCodes]).toEqual(['FORBIDDEN']);
  });
});

describe('scopes of a list', () => {
  it('defaults to the own account in the default region', () => {
    expect(scopesOf(config({ AWS_REGION: 'eu-west-1' }), OWN, {}, AVAILABILITY)).toEqual([
      { partition: 'aws', accountId: OWN.accountId, region: 'eu-west-1' },
    ]);
  });

  it('expands "*" to every configured account and allowed region, own account first', () => {
    const scopes = scopesOf(config(), OWN, { accounts: ['*'], regions: ['*'] }, AVAILABILITY);
    expect(scopes.map((s) => `${s.accountId}/${s.region}`)).toEqual([
      '111111111111/eu-west-1',
      '111111111111/us-east-1',
      '222222222222/eu-west-1',
      '222222222222/us-east-1',
    ]);
  });

  it('refuses region beside regions', () => {
    expect(() => scopesOf(config(), OWN, { region: 'us-east-1', regions: ['us-east-1'] }, AVAILABILITY)).toThrow(
      GatewayError,
    );
  });
});

describe('member account credentials', () => {
  function counting(expiresInMs: number, clock: { now: number }) {
    let calls = 0;
    const members = new MemberCredentials(
      { memberAccounts: new Map([[MEMBER, ROLE]]), defaultRegion: 'us-east-1' },
      () => async () => {
        calls++;
        return {
          accessKeyId: `ASIA${calls}`,
          secretAccessKey: 's',
          sessionToken: 't',
          expiration: new Date(clock.now + expiresInMs),
        };
      },
      () => clock.now,
    );
    return { members, calls: () => calls };
  }

  it('shares one session per account and renews it five minutes before it expires', async () => {
    const clock = { now: 1_000_000 };
    const { members, calls } = counting(3_600_000, clock);
    const provider = members.providerFor(MEMBER)!;
    const [a, b] = await Promise.all([provider(), members.providerFor(MEMBER)!()]);
    expect(a.accessKeyId).toBe('ASIA1');
    expect(b.accessKeyId).toBe('ASIA1');
    expect(calls()).toBe(1);
    clock.now += 3_600_000 - 5 * 60_000 - 1;
    expect((await provider()).accessKeyId).toBe('ASIA1');
    clock.now += 2;
    expect((await provider()).accessKeyId).toBe('ASIA2');
    expect(calls()).toBe(2);
  });

  it('presents sessions as expiring now, so SDK clients ask again, and drops one AWS rejected', async () => {
    const clock = { now: 1_000_000 };
    const { members, calls } = counting(3_600_000, clock);
    const provider = members.providerFor(MEMBER)!;
    const first = await provider();
    expect(first.expiration?.getTime()).toBe(clock.now);
    expect((await provider()).accessKeyId).toBe('ASIA1');
    members.sessionRejected(MEMBER);
    expect((await provider()).accessKeyId).toBe('ASIA2');
    expect(calls()).toBe(2);
    expect(classifyAwsError({ name: 'ExpiredToken' })).toBe('CREDENTIALS_UNAVAILABLE');
    expect(classifyAwsError({ name: 'ExpiredTokenException' })).toBe('CREDENTIALS_UNAVAILABLE');
    expect(classifyAwsError({ name: 'InvalidClientTokenId' })).toBe('CREDENTIALS_UNAVAILABLE');
  });

  it('fails an assumption that does not answer within the call timeout, and does not keep waiting on it', async () => {
    const clock = { now: 0 };
    let calls = 0;
    const members = new MemberCredentials(
      { memberAccounts: new Map([[MEMBER, ROLE]]), defaultRegion: 'us-east-1', callTimeoutMs: 50 },
      () => () => {
        calls++;
        return new Promise(() => undefined);
      },
      () => clock.now,
    );
    const provider = members.providerFor(MEMBER)!;
    await expect(provider()).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_TIMEOUT', account: MEMBER, operation: 'AssumeRole' },
    });
    // Remembered as a failure, then asked again: the shared wait was cleared.
    clock.now += 30_001;
    await expect(provider()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_TIMEOUT' } });
    expect(calls).toBe(2);
  });

  it('has no provider for an account without a role', () => {
    const { members } = counting(3_600_000, { now: 0 });
    expect(members.providerFor('111111111111')).toBeUndefined();
  });

  it('remembers a role AWS refused for five minutes, a throttled assumption for 30 s, then asks again', async () => {
    const clock = { now: 0 };
    let calls = 0;
    let failure = { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } };
    const members = new MemberCredentials(
      { memberAccounts: new Map([[MEMBER, ROLE]]), defaultRegion: 'us-east-1' },
      () => async () => {
        calls++;
        throw Object.assign(new Error('failed'), failure);
      },
      () => clock.now,
    );
    const provider = members.providerFor(MEMBER)!;
    await expect(provider()).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN', account: MEMBER } });
    await expect(provider()).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    clock.now += 30_001;
    await expect(provider()).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(calls).toBe(1);
    clock.now = 5 * 60_000 + 1;
    failure = { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } };
    await expect(provider()).rejects.toBeInstanceOf(GatewayError);
    expect(calls).toBe(2);
    clock.now += 29_999;
    await expect(provider()).rejects.toBeInstanceOf(GatewayError);
    expect(calls).toBe(2);
    clock.now += 2;
    await expect(provider()).rejects.toBeInstanceOf(GatewayError);
    expect(calls).toBe(3);
  });
});

describe('multi-scope pagination', () => {
  /** Scopes of `sizes[i]` items each, pages of 2. */
  function lists(sizes: Record<string, number>) {
    const fetched: string[] = [];
    return {
      fetched,
      fetchPage: async (scope: string, token: string | undefined): Promise<AwsPage<string>> => {
        fetched.push(`${scope}@${token ?? 0}`);
        const start = Number(token ?? 0);
        const items = Array.from({ length: sizes[scope] ?? 0 }, (_, i) => `${scope}${i}`).slice(start, start + 2);
        const next = start + 2 < (sizes[scope] ?? 0) ? String(start + 2) : undefined;
        return { items, ...(next ? { nextToken: next } : {}) };
      },
    };
  }
  const base = { list: 'l', tokenRule: z.string(), keyOf: (s: string) => s };

  it('answers scope by scope and resumes each where its page stopped', async () => {
    const { fetchPage } = lists({ a: 3, b: 2 });
    const page = (after?: string | null) =>
      paginateScopes({ ...base, first: 2, after, scopes: ['b', 'a'], fetchPage, onError: () => {} });
    const first = await page();
    expect(first.nodes).toEqual(['a0', 'a1']);
    const second = await page(first.pageInfo.endCursor);
    expect(second.nodes).toEqual(['a2', 'b0']);
    const third = await page(second.pageInfo.endCursor);
    expect(third.nodes).toEqual(['b1']);
    expect(third.pageInfo.hasNextPage).toBe(false);
  });

  it('passes over a failed scope and reports it', async () => {
    const { fetchPage } = lists({ a: 1, c: 1 });
    const failed: string[] = [];
    const page = await paginateScopes({
      ...base,
      first: 5,
      scopes: ['a', 'b', 'c'],
      fetchPage: (scope, token) => (scope === 'b' ? Promise.reject(new Error('down')) : fetchPage(scope, token)),
      onError: (scope) => failed.push(scope),
    });
    expect(page.nodes).toEqual(['a0', 'c0']);
    expect(failed).toEqual(['b']);
  });

  it('reads pages on until `first` items match, within the page bound, and resumes past what it read', async () => {
    const { fetchPage, fetched } = lists({ a: 12 });
    const even = (item: string) => Number(item.slice(1)) % 4 === 0;
    const first = await paginateScopes({
      ...base,
      first: 3,
      scopes: ['a'],
      fetchPage,
      filter: even,
      onError: () => {},
    });
    // Three pages of two (the bound) hold a0 and a4; the page ends there and resumes at a6.
    expect(first.nodes).toEqual(['a0', 'a4']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(fetched).toEqual(['a@0', 'a@2', 'a@4']);
    const second = await paginateScopes({
      ...base,
      first: 3,
      after: first.pageInfo.endCursor,
      scopes: ['a'],
      fetchPage,
      filter: even,
      onError: () => {},
    });
    expect(second.nodes).toEqual(['a8']);
    expect(fetched.slice(3)).toEqual(['a@6', 'a@8', 'a@10']);
  });
});
