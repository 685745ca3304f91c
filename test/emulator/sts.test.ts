import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_ID, loadFixturesFile, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { signedFetch } from '../helpers/sigv4.js';

const FIXTURES = new URL('../fixtures/emulator-small.json', import.meta.url).pathname;
const ACCOUNT = '444455556666';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

let emulator: RunningEmulator;
const clients: STSClient[] = [];

// maxAttempts 1: each raw error is seen once, and call counts are not inflated by retries.
function sts(region = 'us-east-1', credentials = CREDENTIALS, endpoint = emulator.url): STSClient {
  const client = new STSClient({ endpoint, region, credentials, maxAttempts: 1 });
  clients.push(client);
  return client;
}

async function failure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; $fault?: string; $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as never;
  }
  throw new Error('expected the call to fail');
}

/** A signed awsQuery POST of `form` to STS, as the SDK sends it. */
const stsPost = (form: string, region = 'us-east-1') =>
  signedFetch(emulator.url, { service: 'sts', region, method: 'POST', path: '/', headers: FORM, body: form });

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, fixtures: loadFixturesFile(FIXTURES) });
});

beforeEach(() => {
  emulator.clearFaults();
  emulator.reset();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await emulator.close();
});

describe('STS GetCallerIdentity through the real STSClient', () => {
  it("answers the fixtures' account, as its root user", async () => {
    const out = await sts().send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root`, UserId: ACCOUNT });
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers in any region, with the partition of the region in the ARN', async () => {
    expect((await sts('eu-west-1').send(new GetCallerIdentityCommand({}))).Account).toBe(ACCOUNT);
    expect((await sts('cn-north-1').send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws-cn:iam::${ACCOUNT}:root`,
    );
  });

  it('answers the demo account when it serves the demo data', async () => {
    const demo = await startEmulator({ port: 0 });
    try {
      expect((await sts('us-east-1', CREDENTIALS, demo.url).send(new GetCallerIdentityCommand({}))).Account).toBe(
        DEMO_ACCOUNT_ID,
      );
    } finally {
      await demo.close();
    }
  });

  it('refuses a wrong secret key with SignatureDoesNotMatch 403', async () => {
    const error = await failure(
      sts('us-east-1', { accessKeyId: 'test', secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})),
    );
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(error.message).toMatch(/^The request signature we calculated does not match/);
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('refuses an unknown access key with InvalidClientTokenId 403', async () => {
    const error = await failure(
      sts('us-east-1', { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'test' }).send(new GetCallerIdentityCommand({})),
    );
    expect(error.name).toBe('InvalidClientTokenId');
    expect(error.message).toBe('The security token included in the request is invalid.');
    expect(error.$metadata.httpStatusCode).toBe(403);
  });

  it('counts each call as sts:GetCallerIdentity in /_emulator/stats, refused ones included', async () => {
    await sts('eu-west-1').send(new GetCallerIdentityCommand({}));
    await failure(
      sts('eu-west-1', { accessKeyId: 'test', secretAccessKey: 'wrong' }).send(new GetCallerIdentityCommand({})),
    );
    const stats = await (await fetch(`${emulator.url}/_emulator/stats`)).json();
    expect(stats).toEqual({
      total: 2,
      calls: { 'sts:GetCallerIdentity': 2 },
      byRegion: { 'eu-west-1': { 'sts:GetCallerIdentity': 2 } },
      byAccount: { [ACCOUNT]: { 'sts:GetCallerIdentity': 2 } },
      assumeRoleByAccount: {},
    });
  });

  it('throttles with Throttling (HTTP 400) under a throttle fault for sts', async () => {
    emulator.setFaults({ rules: [{ service: 'sts', operation: 'GetCallerIdentity', throttleRate: 1 }] });
    const error = await failure(sts().send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe('Throttling');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });

  it('answers 500 InternalFailure under an error fault, as a server fault', async () => {
    emulator.setFaults({ rules: [{ service: 'sts', errorRate: 1 }] });
    const error = await failure(sts().send(new GetCallerIdentityCommand({})));
    expect(error.name).toBe('InternalFailure');
    expect(error.$fault).toBe('server');
    expect(error.$metadata.httpStatusCode).toBe(500);
  });
});

describe('STS wire format (awsQuery)', () => {
  it('answers a form POST with the GetCallerIdentityResponse XML document', async () => {
    const res = await stsPost('Action=GetCallerIdentity&Version=2011-06-15');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/xml');
    const requestId = res.headers.get('x-amzn-requestid');
    expect(await res.text()).toBe(
      `<GetCallerIdentityResponse xmlns="${NAMESPACE}"><GetCallerIdentityResult>` +
        `<Arn>arn:aws:iam::${ACCOUNT}:root</Arn><UserId>${ACCOUNT}</UserId><Account>${ACCOUNT}</Account>` +
        `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    );
  });

  it('answers a signed GET with the Action in the query string too', async () => {
    const res = await signedFetch(emulator.url, {
      service: 'sts',
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`<Account>${ACCOUNT}</Account>`);
  });

  it('sends errors as an ErrorResponse XML document of type Sender', async () => {
    const res = await signedFetch(emulator.url, {
      service: 'sts',
      method: 'POST',
      path: '/',
      headers: FORM,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toBe('text/xml');
    const body = await res.text();
    expect(body).toMatch(
      new RegExp(
        `^<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>[^<]+</Message></Error>` +
          `<RequestId>${res.headers.get('x-amzn-requestid')}</RequestId></ErrorResponse>$`,
      ),
    );
  });

  it('sends server faults as an ErrorResponse of type Receiver', async () => {
    emulator.setFaults({ rules: [{ service: 'sts', errorRate: 1 }] });
    const res = await stsPost('Action=GetCallerIdentity&Version=2011-06-15');
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('<Type>Receiver</Type><Code>InternalFailure</Code>');
  });

  it('refuses another API version with InvalidAction 400', async () => {
    const res = await stsPost('Action=GetCallerIdentity&Version=2010-01-01');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(
      '<Code>InvalidAction</Code><Message>Could not find operation GetCallerIdentity for version 2010-01-01.</Message>',
    );
  });

  it('refuses a request without Version with InvalidAction 400', async () => {
    const res = await stsPost('Action=GetCallerIdentity');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('for version NO_VERSION_SPECIFIED.');
  });

  it('refuses an unknown Action with InvalidAction 400', async () => {
    const res = await stsPost('Action=AssumeRoot&Version=2011-06-15');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('refuses a form without Action with MissingAction 400', async () => {
    const res = await stsPost('Version=2011-06-15');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>MissingAction</Code>');
  });

  it('refuses a request signed for another service', async () => {
    const res = await signedFetch(emulator.url, {
      service: 'personalize',
      method: 'POST',
      path: '/',
      headers: FORM,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
  });

  it('refuses an unsigned request with MissingAuthenticationToken 403', async () => {
    const res = await fetch(emulator.url, {
      method: 'POST',
      headers: FORM,
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>MissingAuthenticationToken</Code>');
  });
});
