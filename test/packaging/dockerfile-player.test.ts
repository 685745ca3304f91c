import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDockerfile, playDockerfile } from '../helpers/dockerfile.js';

/*
 * The Dockerfile player (test/helpers/dockerfile.ts) fails where `docker build` would: these run it on small
 * Dockerfiles and contexts, so each failure shows in a second rather than after a full build.
 */

function context(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'dockerfile-context-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function play(dockerfile: string, files: Record<string, string>) {
  const dir = context(files);
  return playDockerfile(dockerfile, {
    context: dir,
    into: join(dir, '..', `${dir.split('/').pop()}-stages`),
    runEnv: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` },
    runTimeoutMs: 10_000,
  });
}

describe('the Dockerfile player', () => {
  it('fails when a COPY source is missing from the build context, naming the line and the source', () => {
    expect(() =>
      play('FROM node:20 AS build\nWORKDIR /app\nCOPY codegen.ts ./\nCOPY examples ./examples\n', {
        'codegen.ts': "import './examples/frontend/codegen.js';\n",
      }),
    ).toThrow(/Dockerfile line 4 \(build: COPY examples \.\/examples\): source examples is not in the build context/);
  });

  it('fails when a COPY source is excluded by .dockerignore', () => {
    expect(() =>
      play('FROM node:20 AS build\nWORKDIR /app\nCOPY test-results ./x\n', {
        '.dockerignore': 'node_modules\ntest-results\n',
        'test-results/a.json': '{}',
      }),
    ).toThrow(/source test-results is excluded by \.dockerignore/);
  });

  it('fails when a RUN fails, with the end of its output: a build that reads a file it was not given', () => {
    expect(() =>
      play('FROM node:20 AS build\nWORKDIR /app\nCOPY codegen.js ./\nRUN node codegen.js\n', {
        'codegen.js': "require('./examples/frontend/codegen.js');\n",
        'examples/frontend/codegen.js': '',
      }),
    ).toThrow(/Dockerfile line 4 \(build: RUN node codegen\.js\) failed:[\s\S]*MODULE_NOT_FOUND|Cannot find module/);
  });

  it('fails on COPY --from a stage that does not exist, and on instructions it does not play', () => {
    expect(() => play('FROM node:20 AS gateway\nCOPY --from=build /app/dist ./dist\n', {})).toThrow(
      /no earlier stage "build"/,
    );
    expect(() => parseDockerfile('FROM node:20\nADD https://example.com/x /x\n')).toThrow(/ADD is not played/);
  });

  it('copies files and directories as docker build does, from the context and from earlier stages', () => {
    const stages = play(
      [
        'FROM node:20 AS build',
        'WORKDIR /app',
        'COPY a.txt b.txt ./',
        'COPY schema ./schema',
        'RUN mkdir -p dist && cp a.txt dist/out.txt',
        'FROM node:20 AS runtime',
        'ENV MODE=production PORT=4000',
        'WORKDIR /srv',
        'COPY --from=build /app/dist/out.txt ./dist/',
        'ENTRYPOINT ["node", "dist/main.js"]',
      ].join('\n'),
      { 'a.txt': 'A', 'b.txt': 'B', 'schema/base.graphql': 'type Query { a: Int }' },
    );
    const build = stages.get('build')!;
    expect(readFileSync(join(build.root, 'app', 'b.txt'), 'utf8')).toBe('B');
    expect(readFileSync(join(build.root, 'app', 'schema', 'base.graphql'), 'utf8')).toContain('Query');
    const runtime = stages.get('runtime')!;
    expect(readFileSync(join(runtime.root, 'srv', 'dist', 'out.txt'), 'utf8')).toBe('A');
    expect(runtime).toMatchObject({
      workdir: '/srv',
      env: { MODE: 'production', PORT: '4000' },
      entrypoint: ['node', 'dist/main.js'],
    });
  });
});
