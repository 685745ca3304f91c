import { type Hash, createHash as nodeCreateHash } from 'node:crypto';

/**
 * What the bundles use for `@apollo/utils.createhash` (scripts/build.ts): Node's own hashes. The package picks Node's
 * crypto through `module.require`, which a bundled CommonJS module does not have, so bundled it would fall back to
 * its pure-JavaScript polyfill (sha.js) and hash every operation's text in JavaScript.
 */
export function createHash(kind: string): Hash {
  return nodeCreateHash(kind);
}
