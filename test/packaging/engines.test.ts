import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/*
 * The Node versions package.json's `engines` promises are the ones every package of the lockfile supports: no
 * EBADENGINE at `npm ci` on any of them (on Node 20 the newest releases of several dependencies want Node 22, and
 * `overrides` pins their Node 20 releases).
 */

const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
};

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
};

/** The lowest version of each major line the range admits: 20.19.0, 22.13.0, 24.0.0 for the project's range. */
function lowestOfEachLine(range: string): string[] {
  return range.split('||').map((part) => semver.minVersion(part.trim())!.version);
}

describe('the Node versions', () => {
  it('that engines states are 20.19+, 22.13+ and 24+', () => {
    expect(pkg.engines.node).toBe('^20.19.0 || ^22.13.0 || >=24');
    expect(lowestOfEachLine(pkg.engines.node)).toEqual(['20.19.0', '22.13.0', '24.0.0']);
  });

  it.each([...lowestOfEachLine(pkg.engines.node), process.versions.node])(
    'Node %s is supported by every package of the lockfile',
    (version) => {
      const unsupported = Object.entries(lock.packages)
        .filter(([path, entry]) => path !== '' && !entry.optional)
        .map(([path, entry]) => ({ path, range: Array.isArray(entry.engines) ? undefined : entry.engines?.node }))
        .filter(({ range }) => range !== undefined && !semver.satisfies(version, range))
        .map(({ path, range }) => `${path.replace(/^.*node_modules\//, '')} wants ${range}`);
      expect(unsupported).toEqual([]);
    },
  );
});
