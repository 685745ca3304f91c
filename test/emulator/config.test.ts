import { describe, expect, it } from 'vitest';
import { EmulatorConfigError, loadEmulatorConfig } from '../../src/emulator/config.js';

describe('emulator settings (EMULATOR_*)', () => {
  it('defaults to port 4566 on 127.0.0.1 with the demo data, test/test and no faults', () => {
    expect(loadEmulatorConfig({})).toEqual({
      port: 4566,
      host: '127.0.0.1',
      fixturesPath: undefined,
      credentials: undefined,
      faults: undefined,
    });
  });

  it('reads every setting from the environment', () => {
    const config = loadEmulatorConfig({
      EMULATOR_PORT: '4567',
      EMULATOR_HOST: '0.0.0.0',
      EMULATOR_FIXTURES: 'data.json',
      EMULATOR_CREDENTIALS: 'AKID1:secret1,AKID2:secret2',
      EMULATOR_FAULTS: '{"latencyMs": 25, "rules": [{"service": "sts", "throttleRate": 0.5}]}',
    });
    expect(config).toEqual({
      port: 4567,
      host: '0.0.0.0',
      fixturesPath: 'data.json',
      credentials: [
        { accessKeyId: 'AKID1', secretAccessKey: 'secret1' },
        { accessKeyId: 'AKID2', secretAccessKey: 'secret2' },
      ],
      faults: { latencyMs: 25, rules: [{ service: 'sts', throttleRate: 0.5 }] },
    });
  });

  it('lets a flag beat the environment variable of the same name', () => {
    expect(loadEmulatorConfig({ EMULATOR_PORT: '4567' }, ['--emulator-port', '5000']).port).toBe(5000);
    expect(loadEmulatorConfig({}, ['--emulator-host=::1']).host).toBe('::1');
  });

  it('treats an empty value as unset', () => {
    expect(loadEmulatorConfig({ EMULATOR_PORT: '', EMULATOR_FAULTS: '' })).toMatchObject({
      port: 4566,
      faults: undefined,
    });
  });

  it('reports every problem at once, faults checked as PUT /_emulator/faults checks them', () => {
    let error: unknown;
    try {
      loadEmulatorConfig({
        EMULATOR_PORT: '70000',
        EMULATOR_CREDENTIALS: 'no-secret',
        EMULATOR_FAULTS: '{"rules": [{"service": "s3"}]}',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EmulatorConfigError);
    const problems = (error as EmulatorConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^EMULATOR_PORT: /);
    expect(problems[1]).toMatch(/^EMULATOR_CREDENTIALS: must look like AKID:SECRET/);
    expect(problems[2]).toMatch(/^EMULATOR_FAULTS: rules\[0\]\.service: /);
  });

  it('refuses EMULATOR_FAULTS that is not JSON', () => {
    expect(() => loadEmulatorConfig({ EMULATOR_FAULTS: '{latency' })).toThrow(/EMULATOR_FAULTS: must be JSON/);
  });
});
