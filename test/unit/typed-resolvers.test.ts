import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * Resolvers are typed by the generated types with no index signature, so a misspelt field or type is a compile
 * error, not a silently ignored resolver. Checked with the compiler itself on probe files.
 */
const dir = mkdtempSync(join(resolve('test'), '.probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function diagnostics(source: string): string[] {
  const file = join(dir, `probe-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, source);
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve('tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error('tsconfig.json did not parse');
  const program = ts.createProgram([file], { ...config.options, noEmit: true });
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

const header = "import type { Resolvers } from '../../src/generated/graphql.js';\n";

describe('typed resolvers', () => {
  it('refuse a misspelt resolver field and a misspelt type, and accept the right spelling', () => {
    expect(
      diagnostics(`${header}export const r: Resolvers = { EventStream: { craetedAt: () => null } };`).join('\n'),
    ).toMatch(/'craetedAt' does not exist/);
    expect(diagnostics(`${header}export const r: Resolvers = { EvntStream: {} };`).join('\n')).toMatch(
      /'EvntStream' does not exist/,
    );
    expect(diagnostics(`${header}export const r: Resolvers = { EventStream: { id: (s) => s.arn } };`)).toEqual([]);
  }, 60_000);
});
