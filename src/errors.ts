import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/*
 * The one factory of the gateway's GraphQL errors: codes clients switch on, the errors of AWS calls (with where the
 * call went), and the refusals of requests before anything runs.
 */

/** Stable error codes in `extensions.code`; clients switch on these, never on messages. */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'CREDENTIALS_UNAVAILABLE'
  | 'BAD_USER_INPUT'
  | 'THROTTLED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'AWS_CALL_BUDGET_EXCEEDED'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/** A service's SigV4 signing name, which doubles as its IAM action prefix (the modules define them). */
export type ServiceId = string;

/** Where an AWS call goes: error extensions, metrics labels, circuit breakers and budgets all name it. */
export interface AwsCallSite {
  service: ServiceId;
  operation: string;
  region: string;
  /** The account whose credentials sign the call, when known. */
  accountId?: string;
  /**
   * The resource the call is about, in words (`domain retail`, `dataset group shop`), so that an error names what
   * is missing or failing rather than only the AWS operation. Messages only: never a metrics label.
   */
  resource?: string;
}

/**
 * Where a call went, as error extensions: `account`, `region`, `service`, `operation` name the scope a partial
 * answer lacks (with `code`, added by GatewayError). `accountId` is the earlier name of `account`, kept for clients
 * that read it.
 */
export function siteExtensions(site: AwsCallSite): Record<string, unknown> {
  const where: Record<string, unknown> = { service: site.service, operation: site.operation, region: site.region };
  if (site.accountId) {
    where.account = site.accountId;
    where.accountId = site.accountId;
  }
  return where;
}

export class GatewayError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
    this.name = 'GatewayError';
  }

  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

export function badUserInput(argument: string, rule: string): GatewayError {
  return new GatewayError(`Argument "${argument}" ${rule}.`, 'BAD_USER_INPUT', { argument });
}

export function notFound(what: string, site?: Partial<AwsCallSite>): GatewayError {
  const account = site?.accountId ? { account: site.accountId } : {};
  return new GatewayError(`${what} was not found.`, 'NOT_FOUND', { ...site, ...account });
}

export function isNotFound(error: unknown): boolean {
  return error instanceof GatewayError && error.code === 'NOT_FOUND';
}

/** A lookup's result, or null when AWS says the resource does not exist (DataLoader's "miss"). */
export async function nullIfNotFound<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

const CODE_BY_AWS_ERROR: Record<string, ErrorCode> = {
  ResourceNotFoundException: 'NOT_FOUND',
  NotFoundException: 'NOT_FOUND',
  AccessDeniedException: 'FORBIDDEN',
  UnrecognizedClientException: 'FORBIDDEN',
  InvalidSignatureException: 'FORBIDDEN',
  MissingAuthenticationTokenException: 'FORBIDDEN',
  // The credentials, not the permissions: a session AWS no longer takes (expired on its clock), a key it does not
  // know. Renewed credentials (or others) fix them; no policy does.
  ExpiredTokenException: 'CREDENTIALS_UNAVAILABLE',
  ExpiredToken: 'CREDENTIALS_UNAVAILABLE',
  InvalidClientTokenId: 'CREDENTIALS_UNAVAILABLE',
  // The SDK found no credentials (or could not refresh them): nothing was sent, so AWS refused nothing.
  CredentialsProviderError: 'CREDENTIALS_UNAVAILABLE',
  TokenProviderError: 'CREDENTIALS_UNAVAILABLE',
  // Writes: the resource exists already, or is busy (another tracker on the dataset group, a deletion running).
  ResourceAlreadyExistsException: 'CONFLICT',
  ResourceInUseException: 'CONFLICT',
  ConflictException: 'CONFLICT',
  BadRequestException: 'BAD_USER_INPUT',
  ValidationException: 'BAD_USER_INPUT',
  InvalidInputException: 'BAD_USER_INPUT',
  InvalidNextTokenException: 'BAD_USER_INPUT',
  ThrottlingException: 'THROTTLED',
  TooManyRequestsException: 'THROTTLED',
  // Several services report request-rate limits as LimitExceededException (aws-apis.md §2).
  LimitExceededException: 'THROTTLED',
  RequestLimitExceeded: 'THROTTLED',
  InternalServerException: 'UPSTREAM_UNAVAILABLE',
  InternalFailure: 'UPSTREAM_UNAVAILABLE',
  ServiceUnavailable: 'UPSTREAM_UNAVAILABLE',
  ServiceUnavailableException: 'UPSTREAM_UNAVAILABLE',
  TimeoutError: 'UPSTREAM_TIMEOUT',
  AbortError: 'UPSTREAM_TIMEOUT',
  RequestTimeout: 'UPSTREAM_TIMEOUT',
};

/**
 * What AWS answers a call signed with credentials it no longer takes (a session expired on its clock) or does not
 * know: the query protocols' and the JSON protocols' names. A member account's session is then assumed again.
 */
const REJECTED_CREDENTIALS = new Set(['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId']);

/** Whether AWS refused a call for the credentials it was signed with (not for what the call asked). */
export function isRejectedCredentials(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && REJECTED_CREDENTIALS.has(name);
}

const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'ECONNABORTED',
]);

interface SdkErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/** Classifies any error thrown by an SDK call into one of the stable codes. */
export function classifyAwsError(error: unknown): ErrorCode {
  const e = (error ?? {}) as SdkErrorLike;
  // A success body that does not parse (the SDKs throw the parser's SyntaxError): AWS, or a proxy, answered
  // something unusable. Whatever the status says, that is the upstream's failure.
  if (isUnreadableBody(error)) return 'UPSTREAM_UNAVAILABLE';
  // Before the name: the SDK names a reset connection ("socket hang up", ECONNRESET) TimeoutError.
  if (e.code && NETWORK_ERRORS.has(e.code)) return e.code === 'ETIMEDOUT' ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE';
  const byName = e.name ? CODE_BY_AWS_ERROR[e.name] : undefined;
  if (byName) return byName;
  const status = e.$metadata?.httpStatusCode;
  if (status === 404) return 'NOT_FOUND';
  if (status === 401 || status === 403) return 'FORBIDDEN';
  if (status === 429) return 'THROTTLED';
  if (status === 504) return 'UPSTREAM_TIMEOUT';
  if ((status !== undefined && status >= 500) || e.$fault === 'server') return 'UPSTREAM_UNAVAILABLE';
  if (status === undefined && !e.$metadata) return 'UPSTREAM_UNAVAILABLE';
  return 'INTERNAL_SERVER_ERROR';
}

function isUnreadableBody(error: unknown): boolean {
  return (error as SdkErrorLike | undefined)?.name === 'SyntaxError';
}

const MESSAGE_BY_CODE: Record<ErrorCode, string> = {
  NOT_FOUND: 'was not found',
  CONFLICT: 'was refused: the resource exists already or is busy',
  FORBIDDEN: 'was denied: the gateway is not allowed to call it',
  CREDENTIALS_UNAVAILABLE:
    'was not sent: the gateway has no AWS credentials (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and ' +
    'AWS_SECRET_ACCESS_KEY, or run it with an IAM role)',
  BAD_USER_INPUT: 'rejected the input',
  THROTTLED: 'was throttled by AWS; retry later',
  UPSTREAM_UNAVAILABLE: 'failed: AWS is unavailable',
  UPSTREAM_TIMEOUT: 'timed out',
  AWS_CALL_BUDGET_EXCEEDED: 'was not called: the operation used its AWS call budget',
  RATE_LIMITED: 'was not called: the caller used its AWS calls for now',
  INTERNAL_SERVER_ERROR: 'failed unexpectedly',
};

/**
 * AWS error -> GraphQL error. Messages are written here, never copied from upstream bodies, so nothing internal
 * (account details, raw payloads) leaks; the AWS request id lets an operator find the call in CloudTrail.
 */
export function fromAwsError(error: unknown, site: AwsCallSite): GatewayError {
  if (error instanceof GatewayError) return error;
  const e = (error ?? {}) as SdkErrorLike;
  const code = classifyAwsError(error);
  const message = isUnreadableBody(error)
    ? awsErrorMessage(code, site, 'answered with a body that is not valid JSON')
    : isRejectedCredentials(error)
      ? awsErrorMessage(code, site, 'was refused for its credentials: AWS does not take them (expired, or unknown)')
      : awsErrorMessage(code, site);
  return new GatewayError(message, code, {
    ...siteExtensions(site),
    ...(e.$metadata?.requestId ? { awsRequestId: e.$metadata.requestId } : {}),
    ...(e.name && e.name !== 'Error' ? { awsErrorCode: e.name } : {}),
  });
}

/**
 * What the caller reads: the missing resource itself when AWS says it does not exist (`Domain retail was not found
 * in us-east-1.`), else the call and what went wrong, with the resource it was about when the site names one.
 */
function awsErrorMessage(code: ErrorCode, site: AwsCallSite, what = MESSAGE_BY_CODE[code]): string {
  const where = site.region ? ` in ${site.region}` : '';
  if (code === 'NOT_FOUND' && site.resource)
    return `${site.resource.charAt(0).toUpperCase()}${site.resource.slice(1)} was not found${where}.`;
  const about = site.resource ? ` for ${site.resource}` : '';
  return `${site.service}:${site.operation}${about}${where} ${what}.`;
}

// ---------------------------------------------------------------------------------------------------------------
// Refusals

/**
 * Codes of requests refused before execution. Each names the rule that refused it, so a client (or an operator
 * reading metrics) knows what to change without parsing messages.
 */
export const REFUSAL_CODES = [
  'UNAUTHENTICATED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'QUERY_TOO_LARGE',
  'TOO_MANY_TOKENS',
  'QUERY_TOO_DEEP',
  'TOO_MANY_ALIASES',
  'TOO_MANY_DIRECTIVES',
  'QUERY_TOO_COMPLEX',
  'SELECTION_TOO_WIDE',
  'TOO_MANY_REPEATED_FIELDS',
  'INTROSPECTION_TOO_COMPLEX',
  'INTROSPECTION_TOO_LARGE',
  'LIST_TOO_LONG',
  'AWS_CALL_BUDGET_EXCEEDED',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

const REFUSALS = new Set<string>(REFUSAL_CODES);

export function isRefusalCode(code: unknown): code is RefusalCode {
  return typeof code === 'string' && REFUSALS.has(code);
}

/** A refusal as a GraphQL error; `status` is the HTTP status Apollo Server answers with. */
export function refusal(
  code: RefusalCode,
  message: string,
  status: number,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status } } });
}

/**
 * A refusal of one field or one list entry rather than of the whole operation (an entity past MAX_ENTITIES): an
 * error at that path, the rest of the data answered, so no HTTP status of its own.
 */
export function fieldRefusal(
  code: RefusalCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** The body of a refusal answered outside Apollo Server (authentication, rate limit, body parsing). */
export function refusalBody(
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
): { errors: GraphQLFormattedError[] } {
  return { errors: [{ message, extensions: { code, ...extensions } }] };
}

/**
 * Apollo Server wraps every validation error in its own error with code GRAPHQL_VALIDATION_FAILED; the limit that
 * refused the operation is still there, as the original error's code. Used by formatError.
 */
export function refusalCodeOf(error: unknown): RefusalCode | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current; depth++) {
    const code = (current as GraphQLError).extensions?.code;
    if (isRefusalCode(code)) return code;
    current = (current as GraphQLError).originalError;
  }
  return undefined;
}

/**
 * An argument refusal that Apollo Server reports as GRAPHQL_VALIDATION_FAILED (a bad scalar literal, see
 * argument-errors.ts) keeps its own code, BAD_USER_INPUT, like every other bad argument. Used by formatError.
 */
export function argumentRefusalOf(error: unknown): boolean {
  const original = (error as GraphQLError | undefined)?.originalError;
  return original instanceof GatewayError && original.code === 'BAD_USER_INPUT';
}
