/**
 * One identity for every resource of every service: where it lives (partition, account, region) and what it is
 * (service, resource type, id within them). Loader keys, cache keys, `node(id)` parsing, cost grouping and error
 * extensions all use it, so a resource named two ways (by ARN, by name) is one entry, and two accounts' resources
 * with equal names never share one: a cache key without account and partition would hand one account's data to
 * another deployment sharing the same Redis.
 */
export interface ResourceIdentity {
  /** `aws`, `aws-cn`, `aws-us-gov`, `aws-iso`, `aws-iso-b` (PARTITIONS). */
  readonly partition: string;
  /** The 12-digit account id. */
  readonly accountId: string;
  /** Empty for global resources. */
  readonly region: string;
  /** The IAM prefix and SigV4 signing name of the service (`profile`, `personalize`, ...). */
  readonly service: string;
  /** The resource type as the ARN spells it (`event-tracker`), or the module's own name when the ARN is opaque. */
  readonly type: string;
  /** The resource's id within (account, region, type), e.g. `domain/stream`. */
  readonly id: string;
}

/** Where a request's resources live when it names them without an ARN: the gateway's own account. */
export interface AccountScope {
  readonly partition: string;
  readonly accountId: string;
}

/** The stable string form: loader cache key and shared-cache key. */
/*
 * Identities are built as plain literals, never as `{ ...other, more }`: on Node 20's V8 a spread followed by more
 * properties can give each object a hidden class of its own (test/unit/object-shapes.test.ts), per resource.
 */

export function identityKey(r: ResourceIdentity): string {
  return `${r.partition}:${r.accountId}:${r.region}:${r.service}:${r.type}/${r.id}`;
}

/** The identity of one list page, cached like a resource: its scope, its operation and its arguments. */
export function listIdentity(
  scope: AccountScope,
  service: string,
  region: string,
  operation: string,
  ...parts: ReadonlyArray<string | number | undefined | null>
): ResourceIdentity {
  const id = parts.map((p) => p ?? '').join('\u0000');
  return { partition: scope.partition, accountId: scope.accountId, region, service, type: `list:${operation}`, id };
}

/**
 * A whole list: every page of `operation` over one parent (the first argument of its pages' `listIdentity`: a
 * domain, a dataset group ARN; none for a list of everything). A write invalidates the lists that may hold what it
 * changed by this identity, whichever page size and token their pages were fetched with.
 */
export function listGroup(
  scope: AccountScope,
  service: string,
  region: string,
  operation: string,
  parent?: string | null,
): ResourceIdentity {
  return {
    partition: scope.partition,
    accountId: scope.accountId,
    region,
    service,
    type: `list:${operation}`,
    id: parent ?? '',
  };
}

/** The list a page (a `listIdentity`) belongs to: `listGroup` of its scope, operation and first argument. */
export function listGroupOf(page: ResourceIdentity): ResourceIdentity {
  const end = page.id.indexOf('\u0000');
  if (end === -1) return page;
  const { partition, accountId, region, service, type } = page;
  return { partition, accountId, region, service, type, id: page.id.slice(0, end) };
}

export function isListIdentity(identity: ResourceIdentity): boolean {
  return identity.type.startsWith('list:');
}
