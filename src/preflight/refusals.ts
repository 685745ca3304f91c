import { type GraphQLSchema, defaultFieldResolver } from 'graphql';
import type { GatewayContext } from '../context.js';

/**
 * Makes every root field answer the preflight's refusal of it (see index.ts): a field noted in `refusedFields`
 * throws its error without running its resolver, so it is null with BAD_USER_INPUT at its own path, costs no AWS
 * call, and its siblings answer. Nothing here knows a field: it wraps every root field of the schema once.
 */
export function applyFieldRefusals(schema: GraphQLSchema): void {
  for (const root of [schema.getQueryType(), schema.getMutationType()]) {
    if (!root) continue;
    for (const field of Object.values(root.getFields())) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, ctx: GatewayContext, info) => {
        const refused = ctx.preflight?.refusedFields?.get(String(info.path.key));
        if (refused) throw refused;
        return resolve(source, args, ctx, info);
      };
    }
  }
}
