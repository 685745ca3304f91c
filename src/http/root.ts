import type { FastifyInstance } from 'fastify';

/**
 * `GET /`, where people land first. With the playground on (development, the demo), browsers are sent to it; a
 * client that asks for JSON alone, and every client when the playground is off (production), gets a small index of
 * the gateway's endpoints instead of a 404.
 */
export function registerRootRoute(app: FastifyInstance, options: { graphqlPath: string; playground: boolean }): void {
  const index = {
    service: 'aws-events-graph',
    graphql: options.graphqlPath,
    ...(options.playground ? { playground: options.graphqlPath } : {}),
    health: '/healthz',
    readiness: '/readyz',
    metrics: '/metrics',
  };
  app.get('/', async (request, reply) => {
    reply.header('cache-control', 'no-store').header('vary', 'accept');
    const accept = String(request.headers.accept ?? '');
    const jsonOnly = /\bapplication\/json\b/i.test(accept) && !/\btext\/html\b/i.test(accept);
    if (options.playground && !jsonOnly) return reply.redirect(options.graphqlPath, 302);
    return index;
  });
}
