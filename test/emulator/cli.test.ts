import { describe, expect, it } from 'vitest';
import { runEntryPoint } from '../helpers/cli.js';

const LISTENING = /AWS emulator listening at (http:\/\/\S+)/;

describe('the emulator command line (npm run emulator)', () => {
  it('runs the emulator alone on the fixtures file given in EMULATOR_FIXTURES, with faults from EMULATOR_FAULTS', async () => {
    const result = await runEntryPoint('emulator', {
      env: {
        EMULATOR_PORT: '0',
        EMULATOR_FIXTURES: 'test/fixtures/emulator-small.json',
        EMULATOR_FAULTS: '{"latencyMs": 1}',
      },
      ready: LISTENING,
      async onReady(output) {
        const url = LISTENING.exec(output)![1]!;
        expect((await fetch(`${url}/_emulator/stats`)).status).toBe(200);
        expect(await (await fetch(`${url}/_emulator/faults`)).json()).toMatchObject({ latencyMs: 1 });
      },
    });
    expect(result.code).toBe(0);
  });

  it('takes its settings from flags too: --emulator-port beats EMULATOR_PORT', async () => {
    const result = await runEntryPoint('emulator', {
      env: { EMULATOR_PORT: 'nope' },
      args: ['--emulator-port', '0'],
      ready: LISTENING,
    });
    expect(result.code).toBe(0);
    expect(result.output).toMatch(LISTENING);
  });

  it.each(['--help', '-h'])(
    'prints its usage for %s and exits 0 without starting, whatever the settings',
    async (flag) => {
      const result = await runEntryPoint('emulator', { env: { EMULATOR_PORT: 'nope' }, args: [flag] });
      expect(result.code).toBe(0);
      expect(result.output).toMatch(/^Usage: npm run emulator/);
      for (const setting of [
        'EMULATOR_PORT',
        'EMULATOR_HOST',
        'EMULATOR_FIXTURES',
        'EMULATOR_CREDENTIALS',
        'EMULATOR_FAULTS',
      ])
        expect(result.output).toContain(setting);
      expect(result.output).not.toMatch(LISTENING);
    },
  );

  it('refuses an invalid fixtures file, naming the path of the problem', async () => {
    const result = await runEntryPoint('emulator', {
      env: { EMULATOR_PORT: '0', EMULATOR_FIXTURES: 'test/fixtures/emulator-invalid.json' },
    });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/regions\./);
  });

  it('reports every problem of its settings and exits with status 1', async () => {
    const result = await runEntryPoint('emulator', {
      env: { EMULATOR_PORT: '70000', EMULATOR_CREDENTIALS: 'no-secret', EMULATOR_FAULTS: '{"latencyMs": -1}' },
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('EMULATOR_PORT');
    expect(result.output).toContain('EMULATOR_CREDENTIALS');
    expect(result.output).toContain('EMULATOR_FAULTS: latencyMs');
  });
});
