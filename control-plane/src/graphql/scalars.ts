// The custom scalars of the API: DateTime (ISO-8601 strings on the wire) and JSON (contract payloads).
import { GraphQLError, GraphQLScalarType } from 'graphql';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

/**
 * Instants PostgreSQL's timestamptz and the ISO text the driver sends it agree on are years 0001 to 9999, in UTC.
 * Inputs stop a day short of the end, so that rounding one up to a whole hour or day (usage windows) stays inside.
 */
export const earliestInstant = Date.parse('0001-01-01T00:00:00.000Z');
export const latestInstant = Date.parse('9999-12-31T00:00:00.000Z');

function storable(value: unknown): Date {
  const date = value as Date;
  const time = date.getTime();
  if (time < earliestInstant || time > latestInstant) {
    // Past year 9999 the driver writes "+010000-…", before year 1 "0000-…" or "-…": PostgreSQL refuses both.
    throw new GraphQLError('DateTime must be between 0001-01-01T00:00:00Z and 9999-12-31T00:00:00Z');
  }
  return date;
}

/** graphql-scalars' DateTime, refusing instants the database cannot store (as input; output is unchanged). */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  parseValue: (value) => storable(DateTimeResolver.parseValue(value)),
  parseLiteral: (ast, variables) => storable(DateTimeResolver.parseLiteral(ast, variables)),
});

export const JSONScalar = JSONResolver;
