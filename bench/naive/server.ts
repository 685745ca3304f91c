import { buildSubgraphSchema } from '@apollo/subgraph';
import { ClientRegistry } from '../../src/aws/clients.js';
import type { Config } from '../../src/config.js';
import { loadTypeDefs } from '../../src/schema.js';
import { type RunningServer, serveApollo } from '../lib/http-stack.js';
import { type NaiveContext, naiveResolvers } from './resolvers.js';

/** The naive baseline: the same SDL (schema/*.graphql) with per-field SDK calls, on the gateway's HTTP stack. */
export async function startNaive(config: Config): Promise<RunningServer> {
  const clients = new ClientRegistry(config.aws);
  const context: NaiveContext = {
    clients,
    defaultRegion: config.aws.defaultRegion,
    internetMonitorRegion: config.aws.internetMonitorRegion,
    defaultPageSize: config.defaultPageSize,
  };
  const schema = buildSubgraphSchema(loadTypeDefs().map((typeDefs, i) => ({ typeDefs, resolvers: i === 0 ? naiveResolvers : {} })));
  const server = await serveApollo<NaiveContext>({ schema, introspection: config.introspection }, async () => context, { host: config.host, port: config.port });
  return {
    url: server.url,
    async close() {
      await server.close();
      clients.destroy();
    },
  };
}
