import type { GraphQLResolveInfo } from 'graphql';
import { hintForPage } from './cache/hints.js';
import type { GatewayContext } from './context.js';
import { type Scope, ScopeFailures, scopeKey } from './estate.js';
import { type ConnectionModel, type PaginateScopesOptions, paginateScopes } from './pagination.js';
import { reportPartialError } from './partial-errors.js';
import { reserveForPage } from './preflight/budget.js';

/** What a module's argument rules make of a root list's arguments (estate.ts, the modules' rules.ts). */
export interface ScopedListArguments {
  list: string;
  first: number;
  after?: string | null;
  scopes: readonly Scope[];
  ignore: ReadonlySet<string>;
}

/**
 * A root connection over the accounts and regions in scope: read in parallel (`paginateScopes`), each failed scope
 * reported beside the others' items (or, for a single scope, as the field's error), the page's item costs reserved
 * in the operation's budget and its cache hint set. `site`: the AWS operation the list calls, as errors name it.
 */
export async function scopedConnection<T extends object>(
  ctx: GatewayContext,
  info: GraphQLResolveInfo,
  site: { service: string; operation: string },
  checked: ScopedListArguments,
  read: Pick<PaginateScopesOptions<Scope, T>, 'tokenRule' | 'fetchPage' | 'filter' | 'pageSize'>,
): Promise<ConnectionModel<T>> {
  const failures = new ScopeFailures<Scope>(site, checked.ignore);
  const connection = await paginateScopes<Scope, T>({
    ...read,
    list: checked.list,
    first: checked.first,
    after: checked.after,
    scopes: checked.scopes,
    keyOf: scopeKey,
    onError: failures.add,
  });
  failures.settle(checked.scopes.length, (error) => reportPartialError(ctx, info, error));
  reserveForPage(ctx, info, connection.nodes.length);
  hintForPage(ctx, info, connection.nodes);
  return connection;
}
