import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { printSubgraphSchema } from '@apollo/subgraph';
import { buildCatalog } from '../src/catalog.js';
import { federationSettingsFromEnv } from '../src/federation/settings.js';
import { modules } from '../src/modules/index.js';
import { type SchemaOptions, buildSchema } from '../src/schema.js';
import { SCHEMA_DIR } from '../src/schema-file.js';

/**
 * `npm run schema:print [-- <file>] [--no-security-directives]`: the gateway's Federation 2 subgraph SDL, as a
 * schema registry or `rover subgraph publish --schema` expects it (federation directives and @link included,
 * `_service`/`_entities` left out), written to dist/subgraph.graphql unless a file is given. It is the schema a
 * gateway with the same environment serves: RELAY_NODE_FIELDS=false leaves `node` and `nodes` out of both.
 */
export const DEFAULT_OUTPUT = 'dist/subgraph.graphql';

export function subgraphSdl(
  options: SchemaOptions = {},
  env: Record<string, string | undefined> = process.env,
): string {
  const { relayNodeFields } = federationSettingsFromEnv(env);
  return printSubgraphSchema(buildSchema(buildCatalog(modules), { relayNodeFields, ...options }));
}

export function writeSubgraphSdl(file: string = DEFAULT_OUTPUT, options: SchemaOptions = {}): string {
  const out = resolve(file);
  // schema/*.graphql is the contract that buildSchema() loads: a printed copy there would be loaded twice.
  if (!relative(SCHEMA_DIR, out).startsWith('..'))
    throw new Error(`Refusing to write into ${SCHEMA_DIR}: every .graphql file there is part of the schema.`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${subgraphSdl(options)}\n`);
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  if (process.argv[2] === '--help' || process.argv[2] === '-h') {
    console.log(
      `Usage: npm run schema:print [-- <file>]\n\nWrites the subgraph SDL to <file> (default ${DEFAULT_OUTPUT}).`,
    );
    process.exit(0);
  }
  try {
    // `--no-security-directives`: for @apollo/gateway, which cannot enforce `@requiresScopes` (see SchemaOptions).
    const args = process.argv.slice(2);
    const file = args.find((a) => !a.startsWith('--'));
    const out = writeSubgraphSdl(file, { securityDirectives: !args.includes('--no-security-directives') });
    console.log(`Subgraph SDL written to ${relative(process.cwd(), out) || out}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
