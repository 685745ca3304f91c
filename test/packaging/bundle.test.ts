import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EntryName, buildBundles } from '../../scripts/build.js';
import { freePort } from '../helpers/redis.js';

/*
 * The bundles `npm run build` writes, built here into a directory of their own (tests that run `npm run demo` write
 * dist/ at the same time). The gateway's bundle, what `npm start` and the container run, must hold no emulator code
 * and no demo data; the emulator's must hold nothing of the gateway. Every string looked for is checked in the bundle
 * that must have it too, so a string that no longer exists cannot make the test pass.
 */

/** Strings only src/emulator/ has: admin routes, its messages, its settings, fixture validation, demo data. */
const EMULATOR_STRINGS = [
  '/_emulator/stats',
  '/_emulator/faults',
  'AWS emulator listening at',
  'Internal emulator error',
  'EMULATOR_FIXTURES',
  'EMULATOR_CREDENTIALS',
  'Invalid fault config',
  'Invalid emulator fixtures',
  'must be a 12-digit AWS account id',
  'must be an ISO-8601 date-time such as',
  // Demo data. The playground's example tabs keep copies of a few demo ids (retail-customers, storefront-clickstream,
  // ...), so these are names that only the demo data itself has.
  'anz-contact-centre',
  'gdpr-consent-changes',
  'holiday-campaign-events',
  'COMCAST-7922',
];

/** Strings only the gateway has. */
const GATEWAY_STRINGS = ['GraphQL gateway ready at', 'AWS_CALL_BUDGET', 'graphiql.min', 'RESPONSE_CACHE_MAX_BYTES'];

let outdir: string;
let metafile: Metafile;
const bundle = (entry: EntryName) => readFileSync(join(outdir, `${entry}.js`), 'utf8');
/** The repository files esbuild put in a bundle. */
const sourcesOf = (entry: EntryName) => Object.keys(metafile.outputs[join(outdir, `${entry}.js`)]?.inputs ?? {});
const sourceMapOf = (entry: EntryName) =>
  JSON.parse(readFileSync(join(outdir, `${entry}.js.map`), 'utf8')) as { sources: string[] };
const isEmulatorSource = (path: string) => /(^|\/)src\/emulator\//.test(path);
const isGatewaySource = (path: string) =>
  /(^|\/)src\//.test(path) && !isEmulatorSource(path) && !path.includes('node_modules/');

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'bundles-'));
  const built = await buildBundles(outdir);
  // esbuild keys outputs by their path relative to the working directory; key them by absolute path.
  metafile = {
    ...built,
    outputs: Object.fromEntries(
      Object.entries(built.outputs).map(([path, output]) => [join(process.cwd(), path), output]),
    ),
  };
}, 60_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the gateway bundle (dist/gateway.js)', () => {
  it('is built from no file of src/emulator/', () => {
    const sources = sourcesOf('gateway');
    expect(sources.some(isGatewaySource)).toBe(true);
    expect(sources.filter(isEmulatorSource)).toEqual([]);
    expect(sourceMapOf('gateway').sources.filter(isEmulatorSource)).toEqual([]);
  });

  it('contains none of the emulator strings and none of the demo data', () => {
    const gateway = bundle('gateway');
    expect(EMULATOR_STRINGS.filter((s) => gateway.includes(s))).toEqual([]);
  });

  it('contains the gateway', () => {
    const gateway = bundle('gateway');
    expect(GATEWAY_STRINGS.filter((s) => !gateway.includes(s))).toEqual([]);
  });

  it("hashes operation texts with Node's crypto, not with the JavaScript polyfill Apollo falls back to", () => {
    const sources = sourcesOf('gateway');
    expect(sources).toContain('scripts/shims/node-create-hash.ts');
    expect(sources.filter((path) => /node_modules\/(sha\.js|@apollo\/utils\.createhash)\//.test(path))).toEqual([]);
  });

  it("has source maps without the sources' text, which every process would hold in memory", () => {
    const map = JSON.parse(readFileSync(join(outdir, 'gateway.js.map'), 'utf8')) as { sourcesContent?: unknown[] };
    expect(sourceMapOf('gateway').sources.length).toBeGreaterThan(100);
    expect((map.sourcesContent ?? []).filter((text) => typeof text === 'string')).toEqual([]);
  });

  it('is ASCII text, which V8 holds at one byte per character (one other character would double it)', () => {
    const gateway = bundle('gateway');
    expect(gateway.length).toBeGreaterThan(1_000_000);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: every character outside ASCII, from U+0080 on.
    expect(gateway.match(/[^\u0000-\u007f]/g) ?? []).toEqual([]);
    expect(existsSync(join(outdir, 'gateway.js.LEGAL.txt'))).toBe(true);
  });

  it('uses no AsyncLocalStorage of its own: it would make every promise of the process propagate a context', () => {
    const ours = sourcesOf('gateway').filter(isGatewaySource);
    expect(ours.length).toBeGreaterThan(50);
    expect(ours.filter((path) => /from 'node:async_hooks'/.test(readFileSync(path, 'utf8')))).toEqual([]);
  });
});

describe('the emulator bundle (dist/emulator.js)', () => {
  it('is built from src/emulator/ alone', () => {
    const sources = sourcesOf('emulator');
    expect(sources.some(isEmulatorSource)).toBe(true);
    expect(sources.filter(isGatewaySource)).toEqual([]);
  });

  it('contains every emulator string the gateway bundle is checked for', () => {
    const emulator = bundle('emulator');
    expect(EMULATOR_STRINGS.filter((s) => !emulator.includes(s))).toEqual([]);
  });

  it('contains nothing of the gateway', () => {
    const emulator = bundle('emulator');
    expect(GATEWAY_STRINGS.filter((s) => emulator.includes(s))).toEqual([]);
  });
});

describe('the gateway bundle, run as `npm start` runs it', () => {
  it('keeps its memory when clients send errors: no source map is decoded into the heap', async () => {
    // `npm start`'s own command, with the bundle built here.
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
    const [command, ...args] = start.split(/\s+/);
    expect(command).toBe('node');
    // Laid out as in the container image: dist/ beside schema/ and node_modules/.
    const app = mkdtempSync(join(tmpdir(), 'gateway-app-'));
    mkdirSync(join(app, 'dist'));
    copyFileSync(join(outdir, 'gateway.js'), join(app, 'dist', 'gateway.js'));
    copyFileSync(join(outdir, 'gateway.js.map'), join(app, 'dist', 'gateway.js.map'));
    cpSync('schema', join(app, 'schema'), { recursive: true });
    symlinkSync(join(process.cwd(), 'node_modules'), join(app, 'node_modules'));
    const port = await freePort();
    const child = spawn(process.execPath, args, {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        NODE_ENV: 'production',
        AWS_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const url = `http://127.0.0.1:${port}`;
    const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;
    const post = async (body: string) =>
      (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
    try {
      for (let i = 0; ; i++) {
        if ((await fetch(`${url}/healthz`).catch(() => null))?.ok) break;
        if (i > 300) throw new Error('the gateway did not become healthy');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await post('{"query":"{ __typename }"}');
      const before = rssMb();
      // A validation error, a syntax error, a body that is not JSON, and a resolver error (no AWS credentials).
      for (let i = 0; i < 10; i++) {
        expect((await post('{"query":"{ nope }"}')).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
        expect((await post('{"query":"{ __typename "}')).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
        expect((await post('garbage')).errors[0].extensions.code).toBe('BAD_REQUEST');
        expect((await post('{"query":"{ internetEvent(eventId: \\"e\\") { eventId } }"}')).errors).toHaveLength(1);
      }
      // With --enable-source-maps the first stack trace formatted decodes the whole map: about 80 MB, for good.
      expect(rssMb() - before).toBeLessThan(25);
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(app, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('the emulator bundle, run', () => {
  it('serves on its own, with no node_modules anywhere above it (as in its container image)', async () => {
    expect(
      ['node_modules', '../node_modules', '../../node_modules'].filter((dir) => existsSync(join(outdir, dir))),
    ).toEqual([]);
    const child = spawn(process.execPath, [join(outdir, 'emulator.js')], {
      cwd: outdir,
      env: { PATH: process.env.PATH, EMULATOR_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening at (http:\/\/\S+)/.exec(output);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`the emulator exited (${code}):\n${output}`)));
    });
    try {
      expect(await (await fetch(`${url}/_emulator/health`)).json()).toEqual({ status: 'ok' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

describe('the demo bundle (dist/demo.js)', () => {
  it('contains the emulator, the demo data and the gateway', () => {
    const demo = bundle('demo');
    expect([...EMULATOR_STRINGS, ...GATEWAY_STRINGS].filter((s) => !demo.includes(s))).toEqual([]);
  });
});
