import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('objects built on the hot path', () => {
  it('share one hidden class from one request (or resource) to the next', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--allow-natives-syntax', '--import', 'tsx', 'test/fixtures/shape-probe.ts'],
      { timeout: 60_000, env: { ...process.env, AWS_EC2_METADATA_DISABLED: 'true' } },
    );
    expect(JSON.parse(stdout)).toEqual({
      context: true,
      eventStreamArn: true,
      personalizeArn: true,
      listIdentity: true,
      listGroup: true,
      listGroupOf: true,
    });
  }, 90_000);
});
