import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareCommits, renderCompare } from '../../bench/compare.js';

const worktrees = () => execFileSync('git', ['worktree', 'list'], { encoding: 'utf8' }).trim().split('\n').length;

describe('bench:compare', () => {
  it('runs the gateway of another commit beside this tree on one emulator, and removes its worktree', async () => {
    const before = worktrees();
    const result = await compareCommits({ base: 'HEAD', rounds: 2, seconds: 1, scenarios: ['single-lookup'] });
    expect(worktrees()).toBe(before);
    const [single] = result.scenarios;
    expect(single!.id).toBe('single-lookup');
    for (const side of [single!.base, single!.head]) {
      expect(side.requestsPerSecond).toHaveLength(2);
      expect(Math.min(...side.requestsPerSecond)).toBeGreaterThan(10);
      expect(Math.min(...side.cpuMsPerRequest)).toBeGreaterThan(0);
    }
    expect(result.baseCommit).toMatch(/^[0-9a-f]{12}$/);
    expect(renderCompare(result)).toContain('| Single lookup (cold) |');
  }, 60_000);

  it('names the scenarios it knows when asked for another', async () => {
    const before = worktrees();
    await expect(
      compareCommits({ base: 'HEAD', rounds: 1, seconds: 1, scenarios: ['nope' as 'single-lookup'] }),
    ).rejects.toThrow(/Unknown scenario nope: one of .*single-lookup/);
    expect(worktrees()).toBe(before);
  }, 30_000);
});
