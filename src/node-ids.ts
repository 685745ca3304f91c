import type { GraphQLResolveInfo } from 'graphql';
import { badUserInput, isNotFound } from './errors.js';
import { hintFor } from './cache/hints.js';
import { type GatewayContext, scopeOf } from './context.js';
import { screenArgument } from './preflight/input-screen.js';
import { parseArn } from './resource/arn.js';
import type { NodeForm, NodeModel } from './service-module.js';

const MAX_ID_LENGTH = 2048;

/**
 * Any id -> its resource, through the modules' node forms (`node`, `nodes`, entity references). Misses are null
 * without an error (Relay's `node` contract; `_entities` turns them into NOT_FOUND, see federation/entities.ts); an
 * id that is hostile (the preflight's input screen) or that no form accepts is BAD_USER_INPUT for this id alone,
 * decided before any AWS call. `forms` are every module's for `node`, or one type's own for its entity references.
 */
export async function resolveNodeId<T extends NodeModel = NodeModel>(
  ctx: GatewayContext,
  forms: readonly NodeForm[],
  argument: string,
  id: unknown,
  info: GraphQLResolveInfo,
): Promise<T | null> {
  if (typeof id !== 'string' || id.length > MAX_ID_LENGTH) throw unknownId(forms, argument);
  const hostile = screenArgument(id, argument);
  if (hostile) throw hostile;
  const arn = id.startsWith('arn:') ? parseArn(id) : null;
  for (const form of forms) {
    const identity = form.parse(id, {
      argument,
      arn,
      get scope() {
        return scopeOf(ctx);
      },
      config: ctx.config,
    });
    if (!identity) continue;
    let node: NodeModel | null;
    try {
      node = await form.resolve(ctx, identity, id, info);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      node = null;
    }
    hintFor(ctx, info, [node]);
    // A form resolves to models of its own type: restricted to `typeName`, that is T.
    return node as T | null;
  }
  throw unknownId(forms, argument);
}

function unknownId(forms: readonly NodeForm[], argument: string) {
  const types = [...new Set(forms.map((f) => f.typeName))];
  return badUserInput(argument, `must be the id (ARN) of a resource of this graph: ${types.join(', ')}`);
}
