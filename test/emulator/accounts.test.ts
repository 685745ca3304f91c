import {
  GetEventStreamCommand,
  ListEventStreamsCommand,
  CustomerProfilesClient,
} from '@aws-sdk/client-customer-profiles';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type EstateFixtures,
  FixturesError,
  parseFixtures,
  type RunningEmulator,
  startEmulator,
} from '../../src/emulator/index.js';
import { SessionTable } from '../../src/emulator/sessions.js';
import { EmulatorEstate } from '../../src/emulator/store.js';
import { signedFetch } from '../helpers/sigv4.js';

/*
 * The estate form of the fixtures: several accounts, the first owning the long-term credentials, the others reached
 * with STS AssumeRole; temporary credentials verified by SigV4 with their session token and bound to their account.
 * Everything goes through the real SDK clients over HTTP.
 */

const FIRST = '111111111111';
const SECOND = '222222222222';
const UNKNOWN = '333333333333';
const NOW = new Date('2024-06-01T12:00:00Z');
const LONG_TERM = { accessKeyId: 'test', secretAccessKey: 'test' };
const READER_ROLE = `arn:aws:iam::${SECOND}:role/GatewayReader`;

function stream(name: string, account: string) {
  return {
    EventStreamName: name,
    CreatedAt: '2024-05-01T00:00:00Z',
    State: 'RUNNING',
    DestinationDetails: { Uri: `arn:aws:kinesis:us-east-1:${account}:stream/${name}-kds`, Status: 'HEALTHY' },
  };
}

/** Two accounts with a domain each (different names), the second only letting GatewayReader be assumed. */
function estate(): EstateFixtures {
  return {
    accounts: {
      [FIRST]: {
        regions: {
          'us-east-1': {
            customerProfiles: { domains: [{ DomainName: 'first-domain', eventStreams: [stream('one', FIRST)] }] },
          },
        },
      },
      [SECOND]: {
        roles: ['GatewayReader'],
        regions: {
          'us-east-1': {
            customerProfiles: { domains: [{ DomainName: 'second-domain', eventStreams: [stream('two', SECOND)] }] },
          },
        },
      },
    },
  };
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

let emulator: RunningEmulator;
const clients: Array<{ destroy(): void }> = [];

// maxAttempts 1: each raw error is seen once, and call counts are not inflated by retries.
function sts(credentials: Credentials = LONG_TERM, region = 'us-east-1'): STSClient {
  const client = new STSClient({ endpoint: emulator.url, region, credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

function profiles(credentials: Credentials = LONG_TERM): CustomerProfilesClient {
  const client = new CustomerProfilesClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  clients.push(client);
  return client;
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}

async function assume(roleArn = READER_ROLE, extra: { DurationSeconds?: number } = {}, caller = LONG_TERM) {
  const out = await sts(caller).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'gateway', ...extra }));
  const c = out.Credentials!;
  return {
    out,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
  };
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixtures: estate(), now: () => NOW });
});

beforeEach(() => {
  emulator.clearFaults();
  emulator.reset();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await emulator.close();
});

describe('estate fixtures', () => {
  it('validate, and report problems under accounts.<id>', () => {
    expect(() => parseFixtures(estate())).not.toThrow();
    const bad = estate();
    bad.accounts[SECOND]!.regions['us-east-1']!.customerProfiles!.domains[0]!.eventStreams![0]!.State = 'running';
    (bad.accounts as Record<string, unknown>)['12345'] = { regions: {} };
    const error = (() => {
      try {
        parseFixtures(bad);
      } catch (e) {
        return e as FixturesError;
      }
      throw new Error('expected invalid fixtures');
    })();
    expect(error).toBeInstanceOf(FixturesError);
    const paths = error.issues.map((i) => i.path);
    expect(paths).toContain(`accounts.${SECOND}.regions.us-east-1.customerProfiles.domains[0].eventStreams[0].State`);
    expect(error.issues.find((i) => i.path === 'accounts.12345')?.message).toMatch(/12-digit/);
  });

  it('report duplicates per account, and need at least one account', () => {
    const duplicate = estate();
    const domains = duplicate.accounts[SECOND]!.regions['us-east-1']!.customerProfiles!.domains;
    domains.push({ DomainName: 'second-domain' });
    expect(() => parseFixtures(duplicate)).toThrow(
      /accounts\.222222222222\.regions\.us-east-1.*domains\[1\]\.DomainName/,
    );
    // The same domain name in two accounts is two domains.
    const twice = estate();
    twice.accounts[SECOND]!.regions['us-east-1']!.customerProfiles!.domains[0]!.DomainName = 'first-domain';
    expect(() => parseFixtures(twice)).not.toThrow();
    expect(() => parseFixtures({ accounts: {} })).toThrow(/at least one account/);
    expect(() => parseFixtures({ accountId: FIRST, accounts: {} })).toThrow(/accountId/);
  });

  it('give each account its own store, the first being the default', () => {
    const stores = EmulatorEstate.fromFixtures(parseFixtures(estate()));
    expect(stores.accountIds).toEqual([FIRST, SECOND]);
    expect(stores.defaultAccount.accountId).toBe(FIRST);
    expect([...stores.account(SECOND)!.region('us-east-1').domains.keys()]).toEqual(['second-domain']);
    expect(
      stores.account(SECOND)!.region('us-east-1').domains.get('second-domain')!.eventStreams[0]!.EventStreamArn,
    ).toBe(`arn:aws:profile:us-east-1:${SECOND}:domains/second-domain/event-streams/two`);
    expect(stores.hasRole(SECOND, 'GatewayReader')).toBe(true);
    expect(stores.hasRole(SECOND, 'Admin')).toBe(false);
    // An account that lists no roles lets any role be assumed.
    expect(stores.hasRole(FIRST, 'Anything')).toBe(true);
    expect(stores.hasRole(UNKNOWN, 'GatewayReader')).toBe(false);
  });
});

describe('long-term credentials belong to the first account', () => {
  it("answer GetCallerIdentity with the first account's root and serve its data only", async () => {
    expect(await sts().send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: FIRST,
      Arn: `arn:aws:iam::${FIRST}:root`,
      UserId: FIRST,
    });
    const items = (await profiles().send(new ListEventStreamsCommand({ DomainName: 'first-domain' }))).Items!;
    expect(items.map((i) => i.EventStreamArn)).toEqual([
      `arn:aws:profile:us-east-1:${FIRST}:domains/first-domain/event-streams/one`,
    ]);
    const error = await failure(profiles().send(new ListEventStreamsCommand({ DomainName: 'second-domain' })));
    expect(error.name).toBe('ResourceNotFoundException');
  });
});

describe('STS AssumeRole', () => {
  it('issues temporary credentials for an hour by default, with the assumed-role user', async () => {
    const { out } = await assume();
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(out.Credentials!.SecretAccessKey!.length).toBeGreaterThanOrEqual(40);
    expect(out.Credentials!.SessionToken!.length).toBeGreaterThan(100);
    expect(out.Credentials!.Expiration).toEqual(new Date(NOW.getTime() + 3600_000));
    expect(out.AssumedRoleUser).toEqual({
      Arn: `arn:aws:sts::${SECOND}:assumed-role/GatewayReader/gateway`,
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:gateway$/),
    });
  });

  it('honours DurationSeconds within 900..43200 and refuses others with ValidationError', async () => {
    expect((await assume(READER_ROLE, { DurationSeconds: 900 })).out.Credentials!.Expiration).toEqual(
      new Date(NOW.getTime() + 900_000),
    );
    expect((await assume(READER_ROLE, { DurationSeconds: 43200 })).out.Credentials!.Expiration).toEqual(
      new Date(NOW.getTime() + 43_200_000),
    );
    for (const DurationSeconds of [899, 43201]) {
      const error = await failure(assume(READER_ROLE, { DurationSeconds }));
      expect(error.name).toBe('ValidationError');
      expect(error.message).toMatch(/durationSeconds/);
      expect(error.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('refuses a session name outside AWS constraints with ValidationError', async () => {
    const error = await failure(
      sts().send(new AssumeRoleCommand({ RoleArn: READER_ROLE, RoleSessionName: 'bad name!' })),
    );
    expect(error.name).toBe('ValidationError');
    expect(error.message).toMatch(/roleSessionName/);
  });

  it('is AccessDenied (403) for an account not in the fixtures, a role not listed, or not a role ARN', async () => {
    for (const roleArn of [
      `arn:aws:iam::${UNKNOWN}:role/GatewayReader`,
      `arn:aws:iam::${SECOND}:role/Admin`,
      `arn:aws:iam::${SECOND}:user/GatewayReader`,
      `arn:aws-cn:iam::${SECOND}:role/GatewayReader`,
    ]) {
      const error = await failure(assume(roleArn));
      expect(error.name).toBe('AccessDenied');
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.message).toBe(
        `User: arn:aws:iam::${FIRST}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
      );
    }
  });

  it('answers AccessDenied as an awsQuery XML ErrorResponse', async () => {
    const res = await signedFetch(emulator.url, {
      service: 'sts',
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams({
        Action: 'AssumeRole',
        Version: '2011-06-15',
        RoleArn: `arn:aws:iam::${UNKNOWN}:role/R`,
        RoleSessionName: 'gw',
      }).toString(),
    });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type>/,
    );
    expect(text).toContain('<Code>AccessDenied</Code>');
  });
});

describe('temporary credentials', () => {
  it("are served from the role's account, and GetCallerIdentity names the assumed role", async () => {
    const { credentials } = await assume();
    expect(await sts(credentials).send(new GetCallerIdentityCommand({}))).toEqual(
      expect.objectContaining({
        Account: SECOND,
        Arn: `arn:aws:sts::${SECOND}:assumed-role/GatewayReader/gateway`,
        UserId: expect.stringMatching(/^AROA[A-Z2-7]{17}:gateway$/),
      }),
    );
    const out = await profiles(credentials).send(
      new GetEventStreamCommand({ DomainName: 'second-domain', EventStreamName: 'two' }),
    );
    expect(out.EventStreamArn).toBe(`arn:aws:profile:us-east-1:${SECOND}:domains/second-domain/event-streams/two`);
    const error = await failure(
      profiles(credentials).send(new ListEventStreamsCommand({ DomainName: 'first-domain' })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
  });

  it('need their own session token: none, or another one, is InvalidClientTokenId', async () => {
    const { credentials } = await assume();
    const { credentials: other } = await assume();
    for (const sessionToken of [undefined, other.sessionToken]) {
      const error = await failure(sts({ ...credentials, sessionToken }).send(new GetCallerIdentityCommand({})));
      expect(error.name).toBe('InvalidClientTokenId');
      expect(error.$metadata.httpStatusCode).toBe(403);
    }
    const json = await failure(
      profiles({ ...credentials, sessionToken: undefined }).send(
        new ListEventStreamsCommand({ DomainName: 'second-domain' }),
      ),
    );
    expect(json.name).toBe('UnrecognizedClientException');
  });

  it('are verified by SigV4: a wrong secret is SignatureDoesNotMatch', async () => {
    const { credentials } = await assume();
    const error = await failure(
      sts({ ...credentials, secretAccessKey: 'not-the-secret' }).send(new GetCallerIdentityCommand({})),
    );
    expect(error.name).toBe('SignatureDoesNotMatch');
  });

  it('a session token with long-term keys is InvalidClientTokenId', async () => {
    const { credentials } = await assume();
    const error = await failure(
      sts({ ...LONG_TERM, sessionToken: credentials.sessionToken }).send(new GetCallerIdentityCommand({})),
    );
    expect(error.name).toBe('InvalidClientTokenId');
  });

  it("expire on the emulator's clock (ExpiredToken), and stay valid across reset()", async () => {
    const { credentials } = await assume(READER_ROLE, { DurationSeconds: 900 });
    emulator.reset();
    expect((await sts(credentials).send(new GetCallerIdentityCommand({}))).Account).toBe(SECOND);
    emulator.advanceClock(900);
    const query = await failure(sts(credentials).send(new GetCallerIdentityCommand({})));
    expect(query.name).toBe('ExpiredToken');
    expect(query.$metadata.httpStatusCode).toBe(403);
    const json = await failure(
      profiles(credentials).send(new ListEventStreamsCommand({ DomainName: 'second-domain' })),
    );
    expect(json.name).toBe('ExpiredTokenException');
  });

  it('can assume another role (role chaining) for at most an hour', async () => {
    const { credentials } = await assume();
    const chained = await assume(`arn:aws:iam::${FIRST}:role/Back`, {}, credentials);
    expect(chained.out.AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${FIRST}:assumed-role/Back/gateway`);
    expect((await sts(chained.credentials).send(new GetCallerIdentityCommand({}))).Account).toBe(FIRST);
    const error = await failure(assume(`arn:aws:iam::${FIRST}:role/Back`, { DurationSeconds: 3601 }, credentials));
    expect(error.name).toBe('ValidationError');
    expect(error.message).toMatch(/role chaining/);
  });
});

describe("the SDK's own assumed-role provider", () => {
  // The provider compares Expiration with the real clock: this emulator runs on it (not on the pinned NOW).
  it('assumes the role once and reuses its credentials until they near expiry', async () => {
    const live = await startEmulator({ port: 0, fixtures: estate() });
    try {
      const credentials = fromTemporaryCredentials({
        params: { RoleArn: READER_ROLE, RoleSessionName: 'provider', DurationSeconds: 900 },
        masterCredentials: LONG_TERM,
        clientConfig: { endpoint: live.url, region: 'us-east-1', maxAttempts: 1 },
      });
      const client = new CustomerProfilesClient({ endpoint: live.url, region: 'us-east-1', credentials });
      clients.push(client);
      for (let i = 0; i < 3; i += 1) {
        await client.send(new ListEventStreamsCommand({ DomainName: 'second-domain' }));
      }
      expect(live.stats().assumeRoleByAccount).toEqual({ [SECOND]: 1 });
      expect(live.stats().byAccount[SECOND]).toEqual({ 'profile:ListEventStreams': 3 });
    } finally {
      await live.close();
    }
  });
});

describe('call counts by account', () => {
  it('count each call under the account it is signed for, and AssumeRole by the role account', async () => {
    const { credentials } = await assume();
    await failure(assume(`arn:aws:iam::${UNKNOWN}:role/GatewayReader`));
    await sts(credentials).send(new GetCallerIdentityCommand({}));
    await profiles(credentials).send(new ListEventStreamsCommand({ DomainName: 'second-domain' }));
    await profiles().send(new ListEventStreamsCommand({ DomainName: 'first-domain' }));
    // Refused calls count too: a wrong secret still names a known key.
    await failure(
      profiles({ ...credentials, secretAccessKey: 'x' }).send(new ListEventStreamsCommand({ DomainName: 'd' })),
    );
    const stats = await (await fetch(`${emulator.url}/_emulator/stats`)).json();
    expect(stats.total).toBe(6);
    expect(stats.byAccount).toEqual({
      [FIRST]: { 'sts:AssumeRole': 2, 'profile:ListEventStreams': 1 },
      [SECOND]: { 'sts:GetCallerIdentity': 1, 'profile:ListEventStreams': 2 },
    });
    expect(stats.assumeRoleByAccount).toEqual({ [SECOND]: 1, [UNKNOWN]: 1 });
  });

  it('leave out calls signed with a key nobody issued', async () => {
    await failure(
      sts({ accessKeyId: 'ASIAUNKNOWNUNKNOWN00', secretAccessKey: 's', sessionToken: 't' }).send(
        new GetCallerIdentityCommand({}),
      ),
    );
    expect(emulator.stats()).toMatchObject({ total: 1, byAccount: {} });
  });
});

describe('faults by account', () => {
  it('throttle only the account a rule names', async () => {
    emulator.setFaults({ rules: [{ account: SECOND, throttleRate: 1 }] });
    const { credentials } = await assume();
    const error = await failure(
      profiles(credentials).send(new ListEventStreamsCommand({ DomainName: 'second-domain' })),
    );
    expect(error.name).toBe('ThrottlingException');
    await expect(profiles().send(new ListEventStreamsCommand({ DomainName: 'first-domain' }))).resolves.toBeDefined();
  });
});

describe('the session table', () => {
  const request = (now: Date, durationSeconds = 900) => ({
    partition: 'aws',
    accountId: SECOND,
    roleName: 'R',
    sessionName: 's',
    durationSeconds,
    chained: false,
    now,
  });

  it('is bounded: past its capacity the oldest session goes', () => {
    const table = new SessionTable(3);
    const issued = [1, 2, 3, 4].map(() => table.issue(request(NOW)));
    expect(table.size).toBe(3);
    expect(table.get(issued[0]!.accessKeyId)).toBeUndefined();
    expect(table.get(issued[3]!.accessKeyId)).toBe(issued[3]);
  });

  it('drops expired sessions as it issues new ones', () => {
    const table = new SessionTable(10);
    const old = table.issue(request(NOW, 900));
    table.issue(request(new Date(NOW.getTime() + 900_000)));
    expect(table.get(old.accessKeyId)).toBeUndefined();
    expect(table.size).toBe(1);
  });
});
