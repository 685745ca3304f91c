import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Metafile, build } from 'esbuild';

/**
 * `npm run build [-- <entry> ...]`: one self-contained ESM bundle per entry point in dist/ (each with its source map):
 *
 *   dist/gateway.js   the gateway only: what `npm start` and the container run; no emulator code, no demo data
 *   dist/emulator.js  the AWS emulator only (`npm run emulator`)
 *   dist/demo.js      both, the emulator with the demo data in front of the gateway (`npm run demo`)
 *
 * No code splitting: each bundle holds everything it runs, so the gateway's cannot load a chunk of the emulator.
 * test/packaging/bundle.test.ts builds them and checks what each one contains.
 */

export const ENTRY_POINTS = {
  gateway: 'src/gateway.ts',
  emulator: 'src/emulator/main.ts',
  demo: 'src/demo.ts',
} as const;

export type EntryName = keyof typeof ENTRY_POINTS;

export const ENTRY_NAMES = Object.keys(ENTRY_POINTS) as EntryName[];

/** Bundles the entries into `outdir` (`<outdir>/<entry>.js`); the metafile lists every input of every output. */
export async function buildBundles(outdir = 'dist', entries: readonly EntryName[] = ENTRY_NAMES): Promise<Metafile> {
  const result = await build({
    entryPoints: Object.fromEntries(entries.map((name) => [name, ENTRY_POINTS[name]])),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // The maps name files and lines for stack traces when debugging (node --enable-source-maps; the entry points run
    // without it, see the README); the sources' text would only be held in memory by every process that loads them.
    sourcesContent: false,
    // No comments or layout: the bundle's text stays in every process's heap (V8 compiles functions lazily from it),
    // and one character beyond Latin-1 in a comment makes V8 hold all of it at two bytes per character. Names stay,
    // so stack traces read without the map too.
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'ascii',
    // Licence comments of bundled packages go to <entry>.js.LEGAL.txt beside the bundle (one of them is not ASCII).
    legalComments: 'external',
    metafile: true,
    alias: { '@apollo/utils.createhash': './scripts/shims/node-create-hash.ts' },
    logLevel: 'warning',
    // Some bundled CommonJS dependencies call require(); an ESM bundle has none of its own.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
  });
  return result.metafile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const requested = process.argv.slice(2);
  if (requested.includes('--help') || requested.includes('-h')) {
    console.log(
      'Usage: npm run build [-- <entry> ...]\n\n' +
        `Builds dist/<entry>.js for each entry (default: all of ${ENTRY_NAMES.join(', ')}).`,
    );
    process.exit(0);
  }
  const unknown = requested.filter((name) => !ENTRY_NAMES.includes(name as EntryName));
  if (unknown.length > 0) {
    console.error(`Unknown entry point ${unknown.join(', ')}: use ${ENTRY_NAMES.join(', ')}.`);
    process.exit(2);
  }
  buildBundles('dist', requested.length > 0 ? (requested as EntryName[]) : ENTRY_NAMES).catch(() => {
    // esbuild has already printed the errors.
    process.exit(1);
  });
}
