import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * A scalar input value that breaks the scalar's rule. Thrown as a plain error, not a GraphQLError, so that GraphQL
 * validation reports it with the value's location, from which the error is turned into a BAD_USER_INPUT that names
 * the argument (src/argument-errors.ts). `rule` completes `Argument "x" ...`.
 */
export class ScalarInputError extends Error {
  constructor(
    readonly scalar: string,
    readonly rule: string,
  ) {
    super(`${scalar} ${rule}`);
    this.name = 'ScalarInputError';
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE_TIME_RULE = 'must be an ISO-8601 date-time with a time zone, e.g. 2024-04-18T10:00:00Z';

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || value.length > 40 || !ISO_8601.test(value))
    throw new ScalarInputError('DateTime', DATE_TIME_RULE);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new ScalarInputError('DateTime', 'must be a valid instant');
  return date;
}

/** Always serialised as UTC with milliseconds, whatever AWS sent (epoch seconds or RFC 3339 with an offset). */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'ISO-8601 instant in UTC',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime())) throw new GraphQLError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING)
      throw new ScalarInputError('DateTime', 'must be a string with an ISO-8601 date-time, e.g. 2024-04-18T10:00:00Z');
    return parseDateTime(ast.value);
  },
});

const LONG_RULE = 'must be a whole number between -(2^53 - 1) and 2^53 - 1';

function parseLong(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new ScalarInputError('Long', LONG_RULE);
  return value;
}

/** Integers beyond 32 bits, exact up to 2^53 - 1 (JSON numbers lose precision past that). */
export const LongScalar = new GraphQLScalarType<number, number>({
  name: 'Long',
  description: 'Whole number up to 2^53 - 1',
  serialize(value) {
    const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isSafeInteger(n))
      throw new GraphQLError('Long cannot represent a non-integer value');
    return n;
  },
  parseValue: parseLong,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw new ScalarInputError('Long', `${LONG_RULE}, as an integer literal`);
    return parseLong(Number(ast.value));
  },
});
