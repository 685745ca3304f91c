import { buildSubgraphSchema } from '@apollo/subgraph';
import { ClientRegistry } from '../../src/aws/clients.js';
import type { Config } from '../../src/config.js';
import { buildCatalog } from '../../src/catalog.js';
import { modules } from '../../src/modules/index.js';
import { useCursorSecrets } from '../../src/pagination.js';
import { type RunningServer, serveApollo } from '../lib/http-stack.js';
import { type NaiveContext, naiveResolvers } from './resolvers.js';

/** The naive baseline: the same SDL (schema/*.graphql) with per-field SDK calls, on the gateway's HTTP stack. */
export async function startNaive(config: Config): Promise<RunningServer> {
  const catalog = buildCatalog(modules);
  // Signed like the gateway's, with the same key (BENCH_GATEWAY_OVERRIDES), so that their pages' cursors compare equal.
  useCursorSecrets(config.security.cursorSecrets);
  const clients = new ClientRegistry(config.aws, catalog.awsServices);
  const context: NaiveContext = {
    clients,
    defaultRegion: config.aws.defaultRegion,
    internetMonitorRegion: config.aws.globalRegion,
    defaultPageSize: config.defaultPageSize,
  };
  // The same SDL; one set of resolvers for all of it.
  const schema = buildSubgraphSchema(
    catalog.modules.map((m, i) => ({ typeDefs: m.typeDefs, resolvers: i === 0 ? naiveResolvers : {} })),
  );
  const server = await serveApollo<NaiveContext>({ schema, introspection: config.introspection }, async () => context, {
    host: config.host,
    port: config.port,
  });
  return {
    url: server.url,
    async close() {
      await server.close();
      clients.destroy();
    },
  };
}
