import { mkdtempSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_EVENT_TRACKER_ARN, type RunningEmulator, startEmulator } from '../../src/emulator/index.js';
import { type RunningEntryPoint, startEntryPoint } from '../helpers/cli.js';
import { waitFor } from '../helpers/redis.js';

/*
 * The real gateway process (`npm start`) on a machine with no AWS credentials at all: no AWS_* variables, a HOME
 * without ~/.aws, and the instance metadata service turned off. It is pointed at the emulator, so that anything it
 * did send would be counted.
 */

const READY = /GraphQL gateway ready at (http:\/\/\S+)/;

/** The environment of a machine without credentials: every AWS_* of this process removed. */
function withoutCredentials(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) env[key] = undefined;
  return {
    ...env,
    HOME: mkdtempSync(join(tmpdir(), 'no-aws-home-')),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

async function graphql(url: string, query: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, any> }> };
}

/** The JSON log lines of a process's output. */
function logLines(output: string): Array<Record<string, any>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>);
}

describe('a gateway started without AWS credentials', () => {
  let emulator: RunningEmulator;
  let gateway: RunningEntryPoint;
  let url: string;
  let home: string;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const env = withoutCredentials({ AWS_ENDPOINT_URL: emulator.url });
    home = env.HOME!;
    gateway = await startEntryPoint('gateway', { env, ready: READY });
    url = gateway.ready[1]!;
  });
  afterAll(async () => {
    await gateway?.stop();
    await emulator?.close();
  });

  it('warns once at start, naming where the SDK looked and what to set', () => {
    const warnings = logLines(gateway.output()).filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(1);
    const [warning] = warnings;
    expect(warning).toMatchObject({ code: 'CREDENTIALS_UNAVAILABLE' });
    expect(warning!.msg).toContain('No AWS credentials');
    expect(warning!.msg).toContain(join(home, '.aws', 'credentials'));
    expect(warning!.msg).toContain('AWS_EC2_METADATA_DISABLED is set');
    expect(warning!.msg).toMatch(/AWS_PROFILE.*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/);
  });

  it('is not ready (503) while its credentials do not resolve, and says why', async () => {
    const res = await fetch(new URL('/readyz', url));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'not ready',
      checks: { schema: 'ok', aws: 'failed', cache: 'skipped' },
      detail: { aws: expect.stringContaining('no AWS credentials') },
    });
  });

  it('answers CREDENTIALS_UNAVAILABLE, saying credentials, without sending anything to AWS', async () => {
    emulator.reset();
    // Named without an ARN (needs the account, from STS) and by ARN (a Personalize call): both say credentials.
    const byName = await graphql(url, '{ eventStream(domainName: "retail-customers", name: "x") { name } }');
    const byArn = await graphql(url, `{ eventTracker(arn: "${DEMO_EVENT_TRACKER_ARN}") { name } }`);
    for (const res of [byName, byArn]) {
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]!.extensions!.code).toBe('CREDENTIALS_UNAVAILABLE');
      expect(res.errors![0]!.message).toMatch(/no AWS credentials/);
      expect(res.errors![0]!.message).not.toMatch(/not allowed|denied/);
    }
    expect(emulator.stats().total).toBe(0);
  });

  it('logs such operations at warn: the gateway is at fault, not the caller', async () => {
    const operationLines = () => logLines(gateway.output()).filter((l) => l.msg === 'graphql operation');
    // The process writes its log lines after it answered: on a busy machine they may arrive after the answers.
    await waitFor('the operation log lines', () => operationLines().length > 0);
    const operations = operationLines();
    expect(operations.length).toBeGreaterThan(0);
    for (const line of operations)
      expect(line).toMatchObject({ level: 'warn', errorCodes: { CREDENTIALS_UNAVAILABLE: 1 } });
  });
});

describe('a gateway whose credentials appear after it started', () => {
  let emulator: RunningEmulator;
  let gateway: RunningEntryPoint;
  let endpoint: Server;
  let serving = false;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    // Temporary credentials, as a container credentials endpoint hands out: a session the emulator issued (it
    // verifies the session token of every request signed with one).
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: emulator.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const { Credentials: session } = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/TaskRole', RoleSessionName: 'task' }),
    );
    sts.destroy();
    // A container credentials endpoint (ECS, EKS Pod Identity) that is not ready yet when the gateway starts.
    endpoint = createServer((_request, response) => {
      if (!serving) return response.writeHead(503).end();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          AccessKeyId: session?.AccessKeyId,
          SecretAccessKey: session?.SecretAccessKey,
          Token: session?.SessionToken,
          Expiration: session?.Expiration?.toISOString(),
        }),
      );
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const { port } = endpoint.address() as AddressInfo;
    const env = withoutCredentials({
      AWS_ENDPOINT_URL: emulator.url,
      AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/credentials`,
      // One attempt per resolution (the SDK's setting), so the start is not held by the chain's retries.
      AWS_METADATA_SERVICE_NUM_ATTEMPTS: '1',
    });
    gateway = await startEntryPoint('gateway', { env, ready: READY });
  });
  afterAll(async () => {
    await gateway?.stop();
    await emulator?.close();
    await new Promise((resolve) => endpoint?.close(resolve));
  });

  it('becomes ready once they resolve, without a restart', async () => {
    const readyz = new URL('/readyz', gateway.ready[1]!);
    expect((await fetch(readyz)).status).toBe(503);
    serving = true;
    // Probes retry the credentials in the background every 2 s; a few of them see the change.
    let status = 503;
    for (let probe = 0; probe < 40 && status !== 200; probe++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await fetch(readyz)).status;
    }
    expect(status).toBe(200);
    const res = await graphql(
      gateway.ready[1]!,
      '{ eventStream(domainName: "retail-customers", name: "orders-to-kinesis") { name } }',
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ eventStream: { name: 'orders-to-kinesis' } });
  });
});
