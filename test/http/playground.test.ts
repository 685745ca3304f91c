import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_DATASET_GROUP_ARN,
  DEMO_DOMAIN_NAME,
  DEMO_EVENT_STREAM_ARN,
  DEMO_EVENT_TRACKER_ARN,
  DEMO_INTERNET_EVENT_ID,
  DEMO_RESOLVED_INTERNET_EVENT_ID,
} from '../../src/emulator/index.js';
import { buildCatalog } from '../../src/catalog.js';
import { modules } from '../../src/modules/index.js';
import { type Stack, startStack } from '../helpers/stack.js';

const PLAYGROUND_EXAMPLES = buildCatalog(modules).examples;

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

function assetUrls(html: string, base: string): string[] {
  return [...html.matchAll(/(?:src|href)="([^"]+)"/g)]
    .map((m) => m[1]!)
    .filter((ref) => !ref.startsWith('data:'))
    .map((ref) => new URL(ref, base).href);
}

describe('playground on (the demo default)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.close());

  it('runs every example operation against the demo data without errors', async () => {
    for (const example of PLAYGROUND_EXAMPLES) {
      const res = await stack.query(example.query, example.variables ? JSON.parse(example.variables) : undefined);
      expect(
        res.errors,
        example.query.split('\n').find((l) => l.startsWith('query') || l.startsWith('mutation')),
      ).toBeUndefined();
      const values = Object.values(res.data ?? {});
      expect(values.length).toBeGreaterThan(0);
      for (const value of values) expect(value).not.toBeNull();
    }
  });

  it('names resources of the demo data, which the gateway holds copies of', () => {
    const variables = PLAYGROUND_EXAMPLES.map((example) => example.variables ?? '').join('\n');
    const demo = [
      DEMO_DOMAIN_NAME,
      DEMO_EVENT_STREAM_ARN,
      DEMO_EVENT_TRACKER_ARN,
      DEMO_DATASET_GROUP_ARN,
      DEMO_INTERNET_EVENT_ID,
      DEMO_RESOLVED_INTERNET_EVENT_ID,
    ];
    for (const id of demo) expect(variables).toContain(JSON.stringify(id));
  });

  it('serves the page to browsers with only same-origin assets and a same-origin content security policy', async () => {
    const res = await fetch(stack.gateway.url, { headers: HTML });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(res.headers.get('vary')).toMatch(/accept/i);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    const urls = assetUrls(html, stack.gateway.url);
    expect(urls.length).toBe(6);
    for (const url of urls) expect(new URL(url).origin).toBe(new URL(stack.gateway.url).origin);
  });

  it('serves each asset from the gateway with immutable caching, gzip-encoded when accepted', async () => {
    const html = await (await fetch(stack.gateway.url, { headers: HTML })).text();
    for (const url of assetUrls(html, stack.gateway.url)) {
      const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
      expect(plain.status, url).toBe(200);
      expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(plain.headers.get('content-type')).toMatch(/^text\/(javascript|css); charset=utf-8$/);
      const body = Buffer.from(await plain.arrayBuffer());
      // Node's fetch decodes gzip itself; ask over a raw request to see the encoded bytes.
      const { request } = await import('node:http');
      const encoded = await new Promise<{ encoding?: string; bytes: Buffer }>((resolve, reject) => {
        request(url, { headers: { 'accept-encoding': 'gzip' } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ encoding: r.headers['content-encoding'], bytes: Buffer.concat(chunks) }));
          r.on('error', reject);
        }).end();
      });
      expect(encoded.encoding).toBe('gzip');
      expect(gunzipSync(encoded.bytes).equals(body)).toBe(true);
    }
  });

  it('answers 404 for an asset name it does not know', async () => {
    const res = await fetch(new URL('/playground/assets/graphiql.min.js', stack.gateway.url));
    expect(res.status).toBe(404);
  });

  it('still executes GET operations for API clients on the same URL', async () => {
    const url = `${stack.gateway.url}?query=${encodeURIComponent('{ __typename }')}`;
    const res = await fetch(url, { headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('playground off', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { PLAYGROUND: 'false' } });
  });
  afterAll(() => stack?.close());

  it('serves no page and no assets when PLAYGROUND=false', async () => {
    const page = await fetch(stack.gateway.url, { headers: HTML });
    expect(page.headers.get('content-type') ?? '').not.toContain('text/html');
    expect(await page.text()).not.toContain('GraphiQL');
    const asset = await fetch(new URL('/playground/assets/anything.js', stack.gateway.url));
    expect(asset.status).toBe(404);
  });
});
