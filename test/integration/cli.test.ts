import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Run {
  output: string;
  code: number | null;
}

/** Runs `src/main.ts` with `args` and `env` until `ready` matches its output (then stops it) or it exits. */
function run(args: string[], env: Record<string, string>, ready?: RegExp, onReady?: (output: string) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let triggered = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready && !triggered && ready.test(output)) {
        triggered = true;
        (onReady ?? (async () => {}))(output).then(
          () => child.kill('SIGTERM'),
          (error: unknown) => {
            child.kill('SIGKILL');
            reject(error);
          },
        );
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ output, code });
    });
  });
}

describe('command line', () => {
  it('runs the emulator alone on the fixtures file given in EMULATOR_FIXTURES, with faults from EMULATOR_FAULTS', async () => {
    const result = await run(
      ['emulator'],
      { EMULATOR_PORT: '0', EMULATOR_FIXTURES: 'test/fixtures/emulator-small.json', EMULATOR_FAULTS: '{"latencyMs": 1}' },
      /listening at (http:\/\/\S+)/,
      async (output) => {
        const url = /listening at (http:\/\/\S+)/.exec(output)![1]!;
        expect((await fetch(`${url}/_emulator/stats`)).status).toBe(200);
        expect(await (await fetch(`${url}/_emulator/faults`)).json()).toMatchObject({ latencyMs: 1 });
      },
    );
    expect(result.code).toBe(0);
  });

  it('reports every configuration problem and exits with status 1', async () => {
    const result = await run(['gateway'], { PORT: 'nope', AWS_ENDPOINT_URL: 'ftp://x', CACHE_TTLS: 'Bogus.STATE=1' });
    expect(result.code).toBe(1);
    expect(result.output).toContain('PORT');
    expect(result.output).toContain('AWS_ENDPOINT_URL');
  });

  it('refuses an invalid fixtures file, naming the path of the problem', async () => {
    const result = await run(['emulator'], { EMULATOR_PORT: '0', EMULATOR_FIXTURES: 'test/fixtures/emulator-invalid.json' });
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/regions\./);
  });

  it('refuses an unknown mode', async () => {
    const result = await run(['sideways'], {});
    expect(result.code).toBe(2);
    expect(result.output).toContain('gateway, demo, emulator');
  });
});
