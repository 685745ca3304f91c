import {
  type AnyVariables,
  Client,
  type OperationResult,
  type TypedDocumentNode,
  createRequest,
  fetchExchange,
  stringifyDocument,
} from '@urql/core';

/**
 * A frontend's GraphQL client for the gateway, with urql. Nothing here is specific to the gateway except two
 * facts a frontend must know:
 *  - CSRF prevention is on: a GET must carry `apollo-require-preflight` (or `x-apollo-operation-name`, or a JSON
 *    content-type); POSTs with `content-type: application/json` need nothing extra.
 *  - Automatic persisted queries: the gateway accepts a query's SHA-256 in place of its text, so repeated queries
 *    become short GETs that browsers and CDNs can cache for as long as the response's `Cache-Control` allows.
 */
export const CSRF_HEADER = { 'apollo-require-preflight': 'true' } as const;

export function createGatewayClient(
  url: string,
  options: { fetch?: typeof fetch; headers?: Record<string, string> } = {},
): Client {
  return new Client({
    url,
    // Results go straight to the caller: a real app would add urql's cacheExchange (or Graphcache) in front.
    exchanges: [fetchExchange],
    requestPolicy: 'network-only',
    preferGetMethod: false,
    fetch: options.fetch,
    fetchOptions: { headers: { ...options.headers } },
  });
}

async function sha256Hex(text: string): Promise<string> {
  // Web Crypto: the same code runs in browsers and in Node 20.
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function persistedQueryNotFound(result: OperationResult): boolean {
  return !!result.error?.graphQLErrors.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND');
}

/**
 * Runs a query the automatic-persisted-query way: first as a hash-only GET; if the gateway does not know the hash
 * yet, once more as a POST with the full text, which registers it for every later call. This is the protocol
 * Apollo Client's persisted-query link and urql's `@urql/exchange-persisted` follow (either can replace this
 * function in an app); it is spelled out here to show exactly what goes over the wire.
 */
export async function queryPersisted<Data, Variables extends AnyVariables>(
  client: Client,
  document: TypedDocumentNode<Data, Variables>,
  variables: Variables,
): Promise<OperationResult<Data, Variables>> {
  // The hash covers exactly the text urql sends when it does send the query.
  const sha256Hash = await sha256Hex(stringifyDocument(document));
  const hashOnly = createRequest(document, variables, { persistedQuery: { version: 1, sha256Hash } });
  const first = await client
    .executeQuery(hashOnly, { preferGetMethod: 'force', fetchOptions: { headers: { ...CSRF_HEADER } } })
    .toPromise();
  if (!persistedQueryNotFound(first)) return first;
  // `miss` tells urql to include the query text; the gateway checks it against the hash before storing it.
  const withText = createRequest(document, variables, { persistedQuery: { version: 1, sha256Hash, miss: true } });
  return client.executeQuery(withText, { preferGetMethod: false }).toPromise();
}
