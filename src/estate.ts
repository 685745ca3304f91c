import { partitionOf } from './aws/regions.js';
import type { Config } from './config.js';
import { GatewayError, badUserInput } from './errors.js';
import type { AccountScope } from './resource/identity.js';
import { type ServiceAvailability, checkAvailable, checkRegion } from './validation.js';

/**
 * The estate: the accounts and regions a list covers. The gateway's own account (the default) and the member
 * accounts of AWS_ACCOUNTS are configured; a list names some of them (`accounts`, `regions`), or all (`["*"]`), and
 * every name is checked here, before any AWS call: a malformed account id, an account the gateway has no role for,
 * a region it does not serve or where the service does not exist is BAD_USER_INPUT.
 */

/** One place a list reads from: an account's region. */
export interface Scope {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

/** `["*"]`: every configured account, or every allowed region where the service exists. */
export const EVERYWHERE = '*';

/** More names than this in `accounts` or `regions` cannot all be configured or allowed. */
const MAX_NAMES = 100;

const ACCOUNT_ID = /^\d{12}$/;

/** The partition of a configured account: its role ARN's, or the gateway's own. */
function partitionOfAccount(config: Config, scope: AccountScope, accountId: string): string {
  const role = config.aws.memberAccounts.get(accountId);
  return role ? (role.split(':')[1] ?? scope.partition) : scope.partition;
}

/** Every account of the estate: the default one first, then the members, by id. */
export function estateAccounts(config: Config, scope: AccountScope): string[] {
  const members = [...config.aws.memberAccounts.keys()].filter((id) => id !== scope.accountId).sort();
  return [scope.accountId, ...members];
}

/**
 * The gateway's own account as a rule sees it: its scope; the error that says why a request could not learn it
 * (at run time); or undefined, not known yet (the preflight, which leaves that request to fail for its reason).
 */
export type OwnAccount = AccountScope | GatewayError | undefined;

/**
 * An account id a caller named (an argument, the account of an ARN): 12 digits, and an account of the estate.
 * BAD_USER_INPUT otherwise, before any AWS call. While the gateway's own account is unknown, any account that is
 * not a member may be it: the preflight checks the form only, and at run time such an account fails with the
 * reason the own account is unknown (CREDENTIALS_UNAVAILABLE, ...), before any call (signing one with the
 * gateway's own credentials would read an account nobody configured).
 */
export function checkAccount(config: Config, scope: OwnAccount, argument: string, value: unknown): string {
  if (typeof value !== 'string' || !ACCOUNT_ID.test(value))
    throw badUserInput(argument, 'must be an account id of 12 digits');
  if (config.aws.memberAccounts.has(value)) return value;
  const own = scope instanceof GatewayError ? config.aws.accountId : (scope?.accountId ?? config.aws.accountId);
  if (own === undefined) {
    if (scope instanceof GatewayError) throw scope;
    return value;
  }
  if (value !== own) {
    throw badUserInput(
      argument,
      `names account ${value}, which is not one of this gateway's accounts (its own, or one of AWS_ACCOUNTS)`,
    );
  }
  return value;
}

/** The names of a `["*"]`-able list argument: null when omitted, EVERYWHERE, or distinct names. */
function namesOf(argument: string, value: readonly string[] | null | undefined): readonly string[] | null {
  if (value === null || value === undefined) return null;
  if (value.length === 0) throw badUserInput(argument, 'must name at least one entry, or "*" for all');
  if (value.length > MAX_NAMES) throw badUserInput(argument, `must name at most ${MAX_NAMES} entries`);
  if (value.includes(EVERYWHERE)) {
    if (value.length > 1) throw badUserInput(argument, 'must be ["*"] alone, or names without "*"');
    return [EVERYWHERE];
  }
  return [...new Set(value)];
}

/** What a list says about where to read: `accounts`, `regions` and, on older lists, one `region`. */
export interface ScopeArguments {
  accounts?: readonly string[] | null;
  regions?: readonly string[] | null;
  region?: string | null;
}

/**
 * The scopes of a list, in a stable order (account, then region), checked before any AWS call. Defaults: the
 * default account and the default region. `region` (one region, as lists took before `regions`) is the same as
 * `regions: [region]`; both at once is BAD_USER_INPUT.
 */
export function scopesOf(
  config: Config,
  scope: OwnAccount,
  args: ScopeArguments,
  availability: ServiceAvailability,
): Scope[] {
  const accountNames = namesOf('accounts', args.accounts);
  if (args.region !== null && args.region !== undefined && args.regions !== null && args.regions !== undefined)
    throw badUserInput('regions', 'must not be given with region (use regions alone)');
  const regionNames =
    args.region !== null && args.region !== undefined
      ? [args.region]
      : (namesOf('regions', args.regions) ?? [config.aws.defaultRegion]);
  // The default account is known once the gateway has learnt it. Until then, at run time, a list of the default
  // account or of all of them fails for that reason (not an empty answer, nor one without the own account); only
  // members can be named. The preflight (scope undefined) counts what it can.
  const failure = scope instanceof GatewayError ? scope : undefined;
  const known = scope instanceof GatewayError ? undefined : scope;
  const own = known ?? (config.aws.accountId ? { partition: 'aws', accountId: config.aws.accountId } : undefined);
  if (!own && failure && (accountNames === null || accountNames[0] === EVERYWHERE)) throw failure;
  const accounts =
    accountNames === null || accountNames[0] === EVERYWHERE
      ? accountNames === null
        ? own
          ? [own.accountId]
          : []
        : own
          ? estateAccounts(config, own)
          : [...config.aws.memberAccounts.keys()].sort()
      : accountNames.map((name, i) => checkAccount(config, own ?? failure, `accounts[${i}]`, name));
  const everywhere = regionNames[0] === EVERYWHERE;
  const regions = everywhere
    ? [...config.aws.allowedRegions].sort()
    : regionNames.map((name, i) => {
        const argument = args.region !== null && args.region !== undefined ? 'region' : `regions[${i}]`;
        if (typeof name !== 'string' || name.length > 32)
          throw badUserInput(argument, 'must be an AWS region this gateway serves (e.g. us-east-1)');
        return checkRegion(argument, name, config.aws.allowedRegions);
      });
  const scopes: Scope[] = [];
  for (const accountId of accounts) {
    const partition = partitionOfAccount(config, own ?? { partition: 'aws', accountId }, accountId);
    for (const [i, region] of regions.entries()) {
      if (everywhere) {
        // All regions: those of the account's partition where the service exists; the others are not errors.
        if (!offeredIn(availability, region, partition)) continue;
        scopes.push({ partition, accountId, region });
      } else {
        // A region named is read in its own partition (where the service must exist).
        checkAvailable(args.region ? 'region' : `regions[${i}]`, availability, region);
        scopes.push({ partition: partitionOf(region), accountId, region });
      }
    }
  }
  return scopes;
}

function offeredIn(availability: ServiceAvailability, region: string, partition: string): boolean {
  try {
    checkAvailable('regions', availability, region, partition);
    return true;
  } catch {
    return false;
  }
}

/** At most how many scopes a list's arguments name (the preflight's cost), without refusing anything. */
export function scopeCount(
  config: Config,
  scope: AccountScope | undefined,
  args: ScopeArguments,
  availability: ServiceAvailability,
): number {
  try {
    return Math.max(1, scopesOf(config, scope, args, availability).length);
  } catch {
    // Refused by the argument rules, at no cost.
    return 0;
  }
}

/** The stable string form of a scope: cursor positions and sort order. */
export function scopeKey(scope: Scope, ...more: string[]): string {
  return [scope.accountId, scope.region, ...more].join('/');
}

/**
 * The error of one failed scope of a list, naming it: `account`, `region`, `service`, `operation` and `code` in
 * its extensions (the call's own, when it has them: a role that could not be assumed names its role assumption).
 */
export function scopeFailure(error: unknown, scope: Scope, site: { service: string; operation: string }): GatewayError {
  const known = error instanceof GatewayError ? error : null;
  const code = known?.code ?? 'UPSTREAM_UNAVAILABLE';
  const message =
    known?.message ?? `${site.service}:${site.operation} in account ${scope.accountId}, ${scope.region} failed.`;
  return new GatewayError(message, code, {
    ...known?.extensions,
    service: known?.extensions.service ?? site.service,
    operation: known?.extensions.operation ?? site.operation,
    code,
    account: scope.accountId,
    accountId: scope.accountId,
    region: scope.region,
  });
}

/** The error codes a list drops (its `ignoreErrors` and IGNORE_ERROR_CODES); the rest are reported. */
export function ignoredCodes(config: Config, ignoreErrors: readonly string[] | null | undefined): ReadonlySet<string> {
  if (!ignoreErrors?.length) return config.aws.ignoreErrorCodes;
  return new Set([...config.aws.ignoreErrorCodes, ...ignoreErrors]);
}

/** What a list does with its scopes' failures: reported beside the items, unless ignored. */
export class ScopeFailures<S extends Scope> {
  private readonly failed: Array<{ scope: S; error: unknown }> = [];

  constructor(
    private readonly site: { service: string; operation: string },
    private readonly ignore: ReadonlySet<string>,
  ) {}

  /** For `paginateScopes`' `onError`. */
  readonly add = (scope: S, error: unknown): void => {
    this.failed.push({ scope, error });
  };

  /**
   * Reports each failure not ignored, through `report`. A list of one scope has nothing else to answer with: its
   * failure is the field's (thrown), as before lists spanned scopes.
   */
  settle(scopes: number, report: (error: GatewayError) => void): void {
    const [only] = this.failed;
    if (scopes === 1 && only && !this.ignored(only.error)) throw only.error;
    for (const { scope, error } of this.failed) if (!this.ignored(error)) report(scopeFailure(error, scope, this.site));
  }

  private ignored(error: unknown): boolean {
    return error instanceof GatewayError && this.ignore.has(error.code);
  }
}

/**
 * The account of an id's ARN, checked as `checkAccount` does: in the preflight the own account may be unknown (the
 * form is checked), at run time its scope getter throws why it is unknown, which a non-member account fails with.
 */
export function checkArnAccount(
  at: { config: Config; readonly scope: AccountScope; argument: string },
  accountId: string,
): string {
  let own: OwnAccount;
  try {
    own = at.scope;
  } catch (error) {
    own = error instanceof GatewayError ? error : undefined;
  }
  return checkAccount(at.config, own, at.argument, accountId);
}
