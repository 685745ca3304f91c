import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { runEntryPoint, startEntryPoint } from '../helpers/cli.js';

const READY = /GraphQL gateway ready at (http:\/\/\S+)/;

describe('command line of the gateway and the demo', () => {
  it('the gateway reports every configuration problem and exits with status 1', async () => {
    const result = await runEntryPoint('gateway', {
      env: { PORT: 'nope', AWS_ENDPOINT_URL: 'ftp://x', CACHE_TTLS: 'Bogus.STATE=1' },
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('PORT');
    expect(result.output).toContain('AWS_ENDPOINT_URL');
  });

  it('the gateway says it is pointed at an endpoint that is not AWS when AWS_ENDPOINT_URL is set', async () => {
    const emulator = await startEmulator({ port: 0 });
    try {
      const result = await runEntryPoint('gateway', {
        env: { PORT: '0', AWS_ENDPOINT_URL: emulator.url, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' },
        ready: READY,
      });
      expect(result.output).toMatch(
        new RegExp(`ready at \\S+ against the AWS endpoint ${emulator.url} \\(AWS_ENDPOINT_URL\\), not AWS itself`),
      );
      expect(result.output).not.toMatch(/ready at \S+ against AWS \(/);
    } finally {
      await emulator.close();
    }
  });

  it('the gateway ignores the emulator settings, which are not its own', async () => {
    const result = await runEntryPoint('gateway', {
      env: { PORT: '0', EMULATOR_PORT: 'nope', EMULATOR_FAULTS: 'not json' },
      ready: READY,
    });
    expect(result.code).toBe(0);
    expect(result.output).not.toContain('EMULATOR_');
  });

  it.each([
    ['gateway', '--help', /^Usage: npm start/],
    ['gateway', '-h', /^Usage: npm start/],
    ['demo', '--help', /^Usage: npm run demo/],
  ] as const)(
    'the %s prints its usage for %s and exits 0 without starting, whatever the settings',
    async (entry, flag, usage) => {
      const result = await runEntryPoint(entry, { env: { PORT: 'nope' }, args: [flag] });
      expect(result.code).toBe(0);
      expect(result.output).toMatch(usage);
      for (const setting of ['PORT', 'AWS_REGION', 'AWS_ENDPOINT_URL', 'CORS_ORIGINS', 'REDIS_URL']) {
        expect(result.output).toContain(setting);
      }
      expect(result.output).toContain('--aws-region');
      expect(result.output).not.toMatch(READY);
      expect(result.output).not.toMatch(/Invalid configuration/);
    },
  );

  it('the demo reports the problems of the gateway settings and of the emulator settings together', async () => {
    const result = await runEntryPoint('demo', {
      env: { PORT: 'nope', EMULATOR_PORT: 'nope', EMULATOR_FAULTS: 'not json' },
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/^\s+- PORT:/m);
    expect(result.output).toMatch(/^\s+- EMULATOR_PORT:/m);
  });

  it('the demo serves the fixtures file given in EMULATOR_FIXTURES', async () => {
    const result = await runEntryPoint('demo', {
      env: { PORT: '0', EMULATOR_PORT: '0', EMULATOR_FIXTURES: 'test/fixtures/emulator-small.json' },
      ready: READY,
      async onReady(output) {
        const url = READY.exec(output)![1]!;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ eventStreams(domainName: "storefront") { nodes { name } } }' }),
        });
        const body = (await res.json()) as {
          data?: { eventStreams: { nodes: Array<{ name: string }> } };
          errors?: unknown;
        };
        expect(body.errors).toBeUndefined();
        expect(body.data!.eventStreams.nodes.map((n) => n.name)).toContain('orders');
      },
    });
    expect(result.code).toBe(0);
    expect(result.output).toContain('with the fixtures of test/fixtures/emulator-small.json');
  });

  it('a second demo on the ports of a running one says so in one line and starts nothing', async () => {
    const first = await startEntryPoint('demo', {
      env: { PORT: '0', EMULATOR_PORT: '0' },
      ready: /GraphQL gateway ready at http:\/\/127\.0\.0\.1:(\d+)/,
    });
    try {
      const gatewayPort = first.ready[1]!;
      const emulatorPort = /AWS emulator listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(first.output())![1]!;
      const second = await runEntryPoint('demo', { env: { PORT: gatewayPort, EMULATOR_PORT: emulatorPort } });
      expect(second.code).toBe(1);
      const lines = second.output.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`127.0.0.1:${gatewayPort} is already in use (another npm run demo?`);
      expect(lines[0]).toContain(`PORT=${Number(gatewayPort) + 1} npm run demo`);
      // The first one is untouched.
      expect((await fetch(`http://127.0.0.1:${gatewayPort}/healthz`)).status).toBe(200);
    } finally {
      await first.stop();
    }
  });
});
