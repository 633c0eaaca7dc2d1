// A GraphQL document tagged with the types of its result and variables, so requests are typed end to end.

export interface Operation<TData, TVariables> {
  readonly document: string;
  /** Phantom fields: never set, they only carry the types. */
  readonly __data?: TData;
  readonly __variables?: TVariables;
}

/** Operations without variables use this for `TVariables`. */
export type NoVariables = Record<string, never>;

export function operation<TData, TVariables = NoVariables>(document: string): Operation<TData, TVariables> {
  return { document };
}

export type DataOf<O> = O extends Operation<infer D, unknown> ? D : never;
export type VariablesOf<O> = O extends Operation<unknown, infer V> ? V : never;
