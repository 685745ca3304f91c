import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type DocumentNode, parse } from 'graphql';

/** Where `schema/*.graphql` (the contract) lives, from the source tree or from the bundle in dist/. */
export const SCHEMA_DIR = fileURLToPath(new URL('../schema/', import.meta.url));

/** One module's SDL, `schema/<name>.graphql`, parsed. */
export function loadSchemaFile(name: string): DocumentNode {
  return parse(readFileSync(`${SCHEMA_DIR}${name}.graphql`, 'utf8'));
}
