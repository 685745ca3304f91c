import type { GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../context.js';
import { GatewayError } from '../errors.js';

/**
 * Called by a root connection's resolver when its page has arrived, before its items' nested fields fan out: the
 * preflight noted what each item may cost (only for operations that could exceed the budget with full pages), and
 * the operation's ledger must have room for all of them, or the connection is refused with its page call the only
 * one spent. Reservations add up across the operation's connections.
 */
export function reserveForPage(ctx: GatewayContext, info: GraphQLResolveInfo, items: number): void {
  if (!ctx.preflight || info.path.prev !== undefined || items === 0) return;
  const perItem = ctx.preflight.itemCosts.get(String(info.path.key)) ?? 0;
  if (perItem === 0) return;
  const budget = ctx.config.aws.resilience.callBudget;
  const needed = perItem * items;
  if (!ctx.ledger.reserve(needed, budget)) {
    throw new GatewayError(
      `The ${items} items of this page may need up to ${needed} more AWS calls; the limit per operation is ${budget}. Ask for fewer items (first) or fewer nested fields.`,
      'AWS_CALL_BUDGET_EXCEEDED',
      { estimatedAwsCalls: needed, awsCallBudget: budget },
    );
  }
}
