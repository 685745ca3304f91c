import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { type GatewayPlugin, createGatewayRuntime } from '@graphql-hive/gateway-runtime';

/*
 * The two routers the federation suite runs through, configured as the README's "Behind a router" section says:
 * @apollo/gateway 2.14 in Apollo Server, and Hive Gateway's runtime (`createGatewayRuntime`) on node:http. Both get a
 * supergraph SDL composed by @apollo/composition, and forward the headers the subgraph acts on.
 */

// Tests never report usage; set here too, for runs of a single file.
process.env.APOLLO_TELEMETRY_DISABLED = '1';
// Hive's logger checks LOG_LEVEL whenever one is built and throws on `silent`, which vitest.config.ts sets for pino;
// `logging: false` below silences it. The gateway under test takes its settings from startStack, not process.env.
process.env.LOG_LEVEL = 'error';

/** Request headers the subgraph acts on: cache bypass, request id (kept in its logs), credentials. */
export const FORWARDED_HEADERS = ['cache-control', 'x-request-id', 'authorization', 'x-api-key'] as const;

export interface Router {
  name: 'apollo' | 'hive';
  url: string;
  close(): Promise<void>;
}

export interface HiveOptions {
  /** Hive's HTTP transport options for every subgraph (`transportEntries['*.http'].options`). */
  transport?: Record<string, unknown>;
}

/**
 * @apollo/gateway: forwards FORWARDED_HEADERS to every subgraph fetch; honours subgraphs' Cache-Control (its
 * default); with `apq`, sends subgraphs automatic persisted queries.
 */
export async function startApolloRouter(supergraphSdl: string, options: { apq?: boolean } = {}): Promise<Router> {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<{ headers: Record<string, string | string[] | undefined> }>({
        url,
        apq: options.apq ?? false,
        willSendRequest({ request, context }) {
          for (const name of FORWARDED_HEADERS) {
            const value = context.headers?.[name];
            if (typeof value === 'string') request.http?.headers.set(name, value);
          }
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ headers: req.headers }),
  });
  return { name: 'apollo', url, close: () => server.stop() };
}

/**
 * Carries the subgraphs' cache hints to the client, as @apollo/gateway does: the response's `Cache-Control` is the
 * shortest `max-age` of the subgraph responses, `private` if any is, and `no-store` when one of them is not
 * cacheable or the response has errors. (Hive's own `responseCaching` reads the headers for its cache, but sends
 * none.)
 */
export function useSubgraphCacheControl(): GatewayPlugin {
  type Policy = { maxAge: number; scope: 'public' | 'private' } | 'no-store';
  const policies = new WeakMap<Request, Policy>();
  const narrow = (request: Request, header: string | null) => {
    const current = policies.get(request);
    if (current === 'no-store') return;
    const match = header && /^max-age=(\d+), (public|private)$/.exec(header);
    if (!match) {
      policies.set(request, 'no-store');
      return;
    }
    const maxAge = Number(match[1]);
    const scope = match[2] === 'private' || current?.scope === 'private' ? 'private' : 'public';
    policies.set(request, { maxAge: Math.min(maxAge, current?.maxAge ?? maxAge), scope });
  };
  return {
    onFetch({ context, executionRequest }) {
      const request = (context as { request?: Request } | undefined)?.request;
      if (!executionRequest || !request) return;
      return ({ response }) => narrow(request, response.headers.get('cache-control'));
    },
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      return {
        onExecuteDone({ result }) {
          if (request && 'errors' in result && result.errors?.length) policies.set(request, 'no-store');
        },
      };
    },
    onResponse({ request, response }) {
      const policy = policies.get(request);
      if (!policy) return;
      response.headers.set(
        'cache-control',
        policy === 'no-store' ? 'no-store' : `max-age=${policy.maxAge}, ${policy.scope}`,
      );
    },
  };
}

/** Hive Gateway: forwards FORWARDED_HEADERS, carries cache hints (above); transport options as given. */
export async function startHiveRouter(supergraphSdl: string, options: HiveOptions = {}): Promise<Router> {
  const gateway = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) =>
        Object.fromEntries(FORWARDED_HEADERS.map((name) => [name, request.headers.get(name)])),
    },
    plugins: () => [useSubgraphCacheControl()],
    ...(options.transport ? { transportEntries: { '*.http': { options: options.transport } } } : {}),
  });
  const server: Server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name: 'hive',
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.dispose();
    },
  };
}

export interface RecordedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  /** The GraphQL request: the JSON body of a POST, the query string of a GET. */
  body: { query?: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> };
}

export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** A loopback proxy in front of a subgraph that records what routers send it (method, headers, operation). */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const search = new URL(req.url ?? '/', 'http://proxy').searchParams;
    const fromQuery = (name: string) => {
      const value = search.get(name);
      return value === null ? undefined : name === 'query' ? value : JSON.parse(value);
    };
    const body =
      req.method === 'GET'
        ? { query: fromQuery('query'), variables: fromQuery('variables'), extensions: fromQuery('extensions') }
        : raw.length
          ? JSON.parse(raw.toString('utf8'))
          : {};
    requests.push({ method: req.method ?? '', headers: req.headers, body });
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name)),
    ) as Record<string, string>;
    const upstream = await fetch(target + (req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''), {
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : raw,
    });
    const answer = Buffer.from(await upstream.arrayBuffer());
    res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
    res.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
