import http from 'node:http';
import https from 'node:https';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AwsClient } from '../../src/aws/clients.js';
import { GetInternetEventCommand, ListInternetEventsCommand } from '../../src/modules/internet-monitor/commands.js';
import { internetMonitor } from '../../src/modules/internet-monitor/index.js';

/*
 * Where the gateway's Internet Monitor client sends its requests: the client is built exactly as the gateway builds
 * it (the module's own factory), a command goes through the client's whole middleware stack, endpoint resolution
 * and signing included, and a last middleware records the request's host and URL instead of sending it.
 */

const agents = { httpAgent: new http.Agent(), httpsAgent: new https.Agent() };
const clients: AwsClient[] = [];
const SENT = new Error('recorded, not sent');

function clientFor(options: { region: string; endpoint?: string; fips?: boolean; dualStack?: boolean }) {
  const client = internetMonitor.awsServices[0]!.createClient({
    region: options.region,
    maxAttempts: 1,
    retryMode: 'standard',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    handlerOptions: { connectionTimeout: 1_000, requestTimeout: 1_000, ...agents },
  });
  // The gateway takes FIPS and dual-stack from the SDK's own settings (AWS_USE_FIPS_ENDPOINT, ...); these are the
  // client options those settings become.
  const config = (client as unknown as { config: Record<string, unknown> }).config;
  if (options.fips !== undefined) config.useFipsEndpoint = async () => options.fips;
  if (options.dualStack !== undefined) config.useDualstackEndpoint = async () => options.dualStack;
  clients.push(client);
  return client;
}

/** The URL the client would send `command` to. */
async function urlOf(client: AwsClient, command: unknown = new GetInternetEventCommand({ EventId: 'e-1' })) {
  let url: string | undefined;
  (client.middlewareStack as unknown as { add: (m: unknown, o: unknown) => void }).add(
    () => async (args: { request: { protocol: string; hostname: string; port?: number; path: string } }) => {
      const { protocol, hostname, port, path } = args.request;
      url = `${protocol}//${hostname}${port ? `:${port}` : ''}${path}`;
      throw SENT;
    },
    { step: 'finalizeRequest', priority: 'low', name: 'recordUrl' },
  );
  await expect(client.send(command as never)).rejects.toBe(SENT);
  return url;
}

afterAll(() => {
  for (const client of clients) client.destroy();
});

describe('the Internet Monitor endpoint', () => {
  it.each([
    ['us-east-1', {}, 'https://internetmonitor.us-east-1.amazonaws.com'],
    ['eu-west-1', {}, 'https://internetmonitor.eu-west-1.amazonaws.com'],
    ['us-east-1', { fips: true }, 'https://internetmonitor-fips.us-east-1.amazonaws.com'],
    ['us-east-1', { dualStack: true }, 'https://internetmonitor.us-east-1.api.aws'],
    ['us-east-1', { fips: true, dualStack: true }, 'https://internetmonitor-fips.us-east-1.api.aws'],
    ['cn-north-1', {}, 'https://internetmonitor.cn-north-1.amazonaws.com.cn'],
    ['us-gov-west-1', {}, 'https://internetmonitor.us-gov-west-1.amazonaws.com'],
    ['us-iso-east-1', {}, 'https://internetmonitor.us-iso-east-1.c2s.ic.gov'],
    ['us-isob-east-1', {}, 'https://internetmonitor.us-isob-east-1.sc2s.sgov.gov'],
  ])('in %s with %j is the current rule set’s %s', async (region, flags, host) => {
    expect(await urlOf(clientFor({ region, ...flags }))).toBe(`${host}/v20210603/InternetEvents/e-1`);
  });

  it('is the same for ListInternetEvents', async () => {
    const url = await urlOf(clientFor({ region: 'us-west-2' }), new ListInternetEventsCommand({ MaxResults: 5 }));
    expect(url).toBe('https://internetmonitor.us-west-2.amazonaws.com/v20210603/InternetEvents');
  });

  it('is AWS_ENDPOINT_URL, path and port kept, when one is configured', async () => {
    const url = await urlOf(clientFor({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4566' }));
    expect(url).toBe('http://127.0.0.1:4566/v20210603/InternetEvents/e-1');
  });

  it('refuses FIPS with a configured endpoint, as every SDK does', async () => {
    const client = clientFor({ region: 'us-east-1', endpoint: 'http://127.0.0.1:4566', fips: true });
    await expect(client.send(new GetInternetEventCommand({ EventId: 'e-1' }) as never)).rejects.toThrow(
      'FIPS and custom endpoint are not supported',
    );
  });
});

describe('the SDK settings the gateway passes on', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('AWS_USE_FIPS_ENDPOINT and AWS_USE_DUALSTACK_ENDPOINT choose the FIPS and dual-stack hosts', async () => {
    process.env.AWS_USE_FIPS_ENDPOINT = 'true';
    process.env.AWS_USE_DUALSTACK_ENDPOINT = 'true';
    expect(await urlOf(clientFor({ region: 'ca-central-1' }))).toBe(
      'https://internetmonitor-fips.ca-central-1.api.aws/v20210603/InternetEvents/e-1',
    );
  });
});
