import { GraphQLError, type GraphQLFormattedError } from 'graphql';

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
  'LIST_TOO_LONG',
  'AWS_CALL_BUDGET_EXCEEDED',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

const REFUSALS = new Set<string>(REFUSAL_CODES);

export function isRefusalCode(code: unknown): code is RefusalCode {
  return typeof code === 'string' && REFUSALS.has(code);
}

/** A refusal as a GraphQL error; `status` is the HTTP status Apollo Server answers with. */
export function refusal(code: RefusalCode, message: string, status: number, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions, http: { status } } });
}

/** The body of a refusal answered outside Apollo Server (authentication, rate limit, body parsing). */
export function refusalBody(code: string, message: string, extensions: Record<string, unknown> = {}): { errors: GraphQLFormattedError[] } {
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
