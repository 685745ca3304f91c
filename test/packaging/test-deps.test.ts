import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * scripts/ensure-test-deps.sh (npm's pretest) on machines it cannot see here: a PATH of stub commands stands in for
 * the machine (who the user is, what apt-get does, which programs exist), so every branch runs without installing
 * anything. Each missing prerequisite must come out as one line that says what to install.
 */

const BASH = '/bin/bash';

/** A directory of executable stubs, `name -> shell body`. */
function machine(stubs: Record<string, string>): string {
  const bin = mkdtempSync(join(tmpdir(), 'test-deps-bin-'));
  for (const [name, body] of Object.entries(stubs)) {
    const file = join(bin, name);
    writeFileSync(file, `#!${BASH}\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return bin;
}

function run(bin: string, chromium = '/nonexistent/chromium') {
  const result = spawnSync(BASH, ['scripts/ensure-test-deps.sh'], {
    env: { PATH: bin, CHROMIUM_PATH: chromium, TMPDIR: tmpdir() },
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.trim().split('\n').filter(Boolean) };
}

describe('the test prerequisites (npm pretest)', () => {
  it('on a fresh machine without root, names each missing prerequisite in one line, and fails', () => {
    const result = run(machine({ id: 'echo 1000' }));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toHaveLength(4);
    for (const [line, name] of result.stderr.map((l, i) => [
      l,
      ['chromium', 'docker-compose', 'redis-server', 'git'][i]!,
    ])) {
      expect(line).toMatch(
        new RegExp(`^npm test needs .*: install it \\(as root: apt-get install -y ${name}\\) and rerun\\.$`),
      );
    }
    expect(result.stderr[0]).toContain('Chromium at /nonexistent/chromium');
  });

  it('as root, when apt-get cannot install them, names each one still missing in one line, and fails', () => {
    const result = run(machine({ id: 'echo 0', 'apt-get': 'echo "E: Unable to locate package" >&2; exit 100' }));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      'Installing the Debian packages the tests need: chromium docker-compose redis-server git (once)\n',
    );
    expect(result.stderr).toHaveLength(4);
    expect(result.stderr[2]).toMatch(
      /^npm test needs redis-server .*: apt-get install redis-server did not install it/,
    );
    expect(result.stderr[2]).toMatch(/ \(apt-get failed, see \S+\); install it and rerun\.$/);
  });

  it('as root, installs what is missing and then says nothing more', () => {
    // apt-get "installs" by creating the programs in the stub PATH.
    const bin = machine({ id: 'echo 0' });
    const install = [
      '[ "$1" = install ] || exit 0',
      `for p in docker-compose redis-server git; do printf '#!${BASH}\\n' > "${bin}/$p"; chmod +x "${bin}/$p"; done`,
    ].join('\n');
    writeFileSync(join(bin, 'apt-get'), `#!${BASH}\n${install}\n`);
    chmodSync(join(bin, 'apt-get'), 0o755);
    const chromium = join(bin, 'chromium');
    writeFileSync(chromium, `#!${BASH}\n`);
    chmodSync(chromium, 0o755);
    const result = run(bin, chromium);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      'Installing the Debian packages the tests need: docker-compose redis-server git (once)\n',
    );
    expect(result.stderr).toEqual([]);
  });

  it('with everything present, prints nothing and succeeds', () => {
    const bin = machine({ id: 'echo 1000', 'docker-compose': '', 'redis-server': '', git: '', chromium: '' });
    const result = run(bin, join(bin, 'chromium'));
    expect(result).toEqual({ status: 0, stdout: '', stderr: [] });
  });
});
