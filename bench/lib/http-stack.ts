import { ApolloServer, type ApolloServerOptions, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import Fastify from 'fastify';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The gateway's HTTP stack (fastify, Apollo Server through @as-integrations/fastify, the same body limit, plugins
 * and /healthz) for the baselines, so that a difference between them and the gateway is the gateway's own work.
 */
export async function serveApollo<TContext extends BaseContext>(
  options: Omit<ApolloServerOptions<TContext>, 'plugins' | 'gateway'> & {
    schema: NonNullable<ApolloServerOptions<TContext>['schema']>;
  },
  context: () => Promise<TContext>,
  listen: { host?: string; port?: number } = {},
): Promise<RunningServer> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  const apollo = new ApolloServer<TContext>({
    ...options,
    includeStacktraceInErrorResponses: false,
    plugins: [fastifyApolloDrainPlugin(app), ApolloServerPluginLandingPageDisabled()],
  } as ApolloServerOptions<TContext>);
  await apollo.start();
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.register(fastifyApollo(apollo), { path: '/graphql', context });
  const address = await app.listen({ host: listen.host ?? '127.0.0.1', port: listen.port ?? 0 });
  return {
    url: `${address}/graphql`,
    async close() {
      await app.close();
      await apollo.stop().catch(() => undefined);
    },
  };
}
