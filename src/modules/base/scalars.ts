import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || value.length > 40 || !ISO_8601.test(value)) {
    throw new GraphQLError('DateTime must be an ISO-8601 date-time with a time zone, e.g. 2024-04-18T10:00:00Z', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime is not a valid instant', { extensions: { code: 'BAD_USER_INPUT' } });
  }
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
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    return parseDateTime(ast.value);
  },
});

function parseLong(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new GraphQLError('Long must be a whole number between -(2^53 - 1) and 2^53 - 1', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
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
    if (ast.kind !== Kind.INT)
      throw new GraphQLError('Long must be an integer literal', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseLong(Number(ast.value));
  },
});
