// The custom scalars of the API: DateTime (ISO-8601 strings on the wire) and JSON (contract payloads).
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';

export const DateTimeScalar = DateTimeResolver;
export const JSONScalar = JSONResolver;
