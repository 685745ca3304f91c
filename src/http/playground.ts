import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance } from 'fastify';
import type { PlaygroundExample } from '../service-module.js';

/**
 * GraphiQL served entirely by the gateway: the page, GraphiQL's UMD bundle and React's UMD builds all come from this
 * process, so the playground works offline and behind egress filters, and its Content-Security-Policy can forbid
 * every other origin. Apollo Server shows the page (as its landing page) to browsers that open the GraphQL endpoint
 * and prefer HTML; API clients on the same URL are unaffected.
 */

export const PLAYGROUND_ASSETS_PATH = '/playground/assets/';

/**
 * Everything the page may load or call is same-origin, scripts included (no inline script: the examples travel as
 * JSON data). Inline styles stay allowed: GraphiQL's dialogs inject <style> elements to lock scrolling, and a style
 * cannot run code.
 */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  /** The URL file name: stem, content hash, extension; the hash makes the URL safe to cache forever. */
  file: string;
  contentType: string;
  body: Buffer;
  gzip: Buffer;
}

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Starts GraphiQL in `#graphiql` with the examples embedded in the page, fetching from the page's own URL. */
const BOOTSTRAP_JS = `'use strict';
(function () {
  var config = JSON.parse(document.getElementById('playground-config').textContent);
  var endpoint = window.location.origin + window.location.pathname;
  var fetcher = GraphiQL.createFetcher({ url: endpoint });
  var logo = React.createElement(GraphiQL.Logo, null, config.title);
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: config.tabs,
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
    }, logo)
  );
})();
`;

const PAGE_CSS = `html, body { height: 100%; margin: 0; }
#graphiql { height: 100vh; }
.playground-loading { font: 14px/1.5 system-ui, sans-serif; padding: 2rem; color: #555; }
`;

function asset(stem: string, extension: string, contentType: string, body: Buffer): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { file: `${stem}.${hash}.${extension}`, contentType, body, gzip: gzipSync(body) };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class Playground {
  private readonly assets: Map<string, Asset>;
  readonly html: string;

  constructor(options: { title?: string; examples?: readonly PlaygroundExample[] } = {}) {
    const graphiql = packageDir('graphiql');
    const list = {
      react: asset(
        'react-18.production.min',
        'js',
        'text/javascript; charset=utf-8',
        readFileSync(join(packageDir('react'), 'umd/react.production.min.js')),
      ),
      reactDom: asset(
        'react-dom-18.production.min',
        'js',
        'text/javascript; charset=utf-8',
        readFileSync(join(packageDir('react-dom'), 'umd/react-dom.production.min.js')),
      ),
      graphiqlJs: asset(
        'graphiql.min',
        'js',
        'text/javascript; charset=utf-8',
        stripSourceMapComment(readFileSync(join(graphiql, 'graphiql.min.js'))),
      ),
      graphiqlCss: asset(
        'graphiql.min',
        'css',
        'text/css; charset=utf-8',
        readFileSync(join(graphiql, 'graphiql.min.css')),
      ),
      pageCss: asset('playground', 'css', 'text/css; charset=utf-8', Buffer.from(PAGE_CSS)),
      bootstrap: asset('playground', 'js', 'text/javascript; charset=utf-8', Buffer.from(BOOTSTRAP_JS)),
    };
    this.assets = new Map(Object.values(list).map((a) => [a.file, a]));

    const title = options.title ?? 'AWS events graph';
    const tabs = (options.examples ?? []).map((e) => ({ query: e.query, variables: e.variables }));
    // Inside <script type="application/json"> only "</script" could end the element early; escaping every "<"
    // rules that out whatever the examples contain.
    const config = JSON.stringify({ title, tabs }).replace(/</g, '\\u003c');
    // Relative URLs: the page lives at /graphql, so they resolve to /playground/assets/... and keep working behind
    // a proxy that mounts the gateway under a path prefix.
    const href = (a: Asset) => `${PLAYGROUND_ASSETS_PATH.slice(1)}${a.file}`;
    this.html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · GraphiQL</title>
<link rel="stylesheet" href="${href(list.graphiqlCss)}">
<link rel="stylesheet" href="${href(list.pageCss)}">
</head>
<body>
<div id="graphiql"><p class="playground-loading">Loading the GraphiQL playground…</p></div>
<script type="application/json" id="playground-config">${config}</script>
<script src="${href(list.react)}"></script>
<script src="${href(list.reactDom)}"></script>
<script src="${href(list.graphiqlJs)}"></script>
<script src="${href(list.bootstrap)}"></script>
</body>
</html>
`;
  }

  /** The asset file names the page references, e.g. for tests and for warming a CDN. */
  get assetFiles(): string[] {
    return [...this.assets.keys()];
  }

  /** Apollo Server shows this page to browsers that GET the GraphQL endpoint asking for HTML. */
  plugin(): ApolloServerPlugin {
    const html = this.html;
    return {
      async serverWillStart() {
        return {
          async renderLandingPage() {
            return { html };
          },
        };
      },
    };
  }

  /** The asset routes, and the security headers of the page itself (Apollo sends it without any). */
  register(app: FastifyInstance, graphqlPath: string): void {
    app.get<{ Params: { file: string } }>(`${PLAYGROUND_ASSETS_PATH}:file`, async (request, reply) => {
      const found = this.assets.get(request.params.file);
      if (!found) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
      reply
        .header('content-type', found.contentType)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('x-content-type-options', 'nosniff')
        .header('vary', 'accept-encoding');
      if (gzip) reply.header('content-encoding', 'gzip');
      return reply.send(gzip ? found.gzip : found.body);
    });

    app.addHook('onSend', async (request, reply, payload) => {
      if (request.routeOptions.url !== graphqlPath) return payload;
      const type = reply.getHeader('content-type');
      if (typeof type !== 'string' || !type.startsWith('text/html')) return payload;
      reply
        .header('content-security-policy', PLAYGROUND_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .header('content-type', 'text/html; charset=utf-8');
      return payload;
    });
  }
}

/** The bundle ends with a sourceMappingURL for a file we do not serve; browsers' devtools would only log a 404. */
function stripSourceMapComment(body: Buffer): Buffer {
  const text = body.toString('utf8');
  return Buffer.from(text.replace(/\n\/\/# sourceMappingURL=[^\n]*\s*$/, '\n'));
}
