import type { AccountScope } from '../resource/identity.js';
import { GatewayError } from '../errors.js';

/**
 * The account the gateway's own credentials belong to: the scope of every resource a caller names without an ARN
 * (`eventStream(domainName:, name:)`), and so part of every cache key. Configured (`AWS_ACCOUNT_ID`) or learnt
 * once from AWS (the security token service's caller identity). A failed lookup is not remembered: the next request tries again, so a
 * gateway started before its credentials were ready recovers without a restart.
 */
export class AccountDirectory {
  private known: AccountScope | undefined;
  private pending: Promise<AccountScope> | undefined;

  constructor(
    private readonly lookup: () => Promise<AccountScope>,
    configured?: AccountScope,
  ) {
    this.known = configured;
  }

  /** The scope when already known, without waiting. */
  get current(): AccountScope | undefined {
    return this.known;
  }

  /** The default account scope, or the error that says why it is unknown (never a rejection). */
  async defaultScope(): Promise<AccountScope | GatewayError> {
    if (this.known) return this.known;
    this.pending ??= this.lookup().then(
      (scope) => {
        this.known = scope;
        return scope;
      },
      (error: unknown) => {
        this.pending = undefined;
        throw error;
      },
    );
    try {
      return await this.pending;
    } catch (error) {
      return error instanceof GatewayError
        ? error
        : new GatewayError('The gateway could not learn which AWS account its credentials belong to.', 'FORBIDDEN');
    }
  }
}
