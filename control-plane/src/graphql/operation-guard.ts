// What every GraphQL operation must pass before it runs, on every transport: Apollo (HTTP) and graphql-ws
// (WebSocket) both go through this guard, so a limit set here (tokens, introspection, depth, cost, aliases, input
// bounds) holds on both, with the same codes.
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type DocumentNode,
  type ExecutionArgs,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  NoSchemaIntrospectionCustomRule,
  type OperationDefinitionNode,
  parse,
  type ValidationRule,
  validate,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { Context } from '../context.ts';
import { inputLimitsError } from './input-limits.ts';
import { type QueryLimits, queryLimitsError } from './limits.ts';
import { SubscriptionRootUnconditionalRule, specifiedRulesSafe } from './subscription-root.ts';

export interface OperationLimits extends QueryLimits {
  /** Lexical tokens a document may have: parsing and validation cost grows with it (validation quadratically). */
  maxTokens: number;
  introspection: boolean;
}

/** `error` with `code` added, as Apollo codes the same failures over HTTP. */
function coded(error: unknown, code: string): GraphQLError {
  if (!(error instanceof GraphQLError)) {
    return new GraphQLError(error instanceof Error ? error.message : String(error), { extensions: { code } });
  }
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

export class OperationGuard {
  readonly parseOptions: { maxTokens: number };
  /** Rules run after graphql's own (`specifiedRules`). */
  readonly validationRules: ValidationRule[];
  /**
   * What prepare() validates with. Apollo runs graphql's `specifiedRules` itself, whose SingleFieldSubscriptionsRule
   * throws on `@skip(if: $var)` at a subscription's root (over HTTP, http/graphql-http.ts refuses documents holding
   * a subscription before Apollo validates them); over WebSocket, where subscriptions run, the safe variant replaces it.
   */
  readonly #rules: ValidationRule[];
  readonly #schema: GraphQLSchema;
  readonly #limits: OperationLimits;

  constructor(schema: GraphQLSchema, limits: OperationLimits) {
    this.#schema = schema;
    this.#limits = limits;
    this.parseOptions = { maxTokens: limits.maxTokens };
    this.validationRules = [
      SubscriptionRootUnconditionalRule,
      ...(limits.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    ];
    this.#rules = [...specifiedRulesSafe, ...this.validationRules];
  }

  /** The limits of the operation about to run, with its coerced variables: the error to answer with, or null. */
  check(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: Record<string, unknown>,
  ): GraphQLError | null {
    return (
      queryLimitsError(this.#schema, document, operation, variables, this.#limits) ??
      inputLimitsError(this.#schema, document, operation, variables)
    );
  }

  /**
   * For Apollo, which parses and validates with `parseOptions` and `validationRules` itself: runs `check` once the
   * operation is known (refusals are HTTP 400), and refuses subscriptions, which are served over WebSocket only.
   */
  plugin(): ApolloServerPlugin<Context> {
    const schema = this.#schema;
    return {
      requestDidStart: async () => ({
        didResolveOperation: async ({ document, operation, request }) => {
          if (!operation) return;
          if (operation.operation === 'subscription') {
            throw new GraphQLError('Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql', {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            });
          }
          // Variables that do not coerce are reported by execution, as BAD_USER_INPUT; nothing to bound before.
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (coerced.errors) return;
          const error = this.check(document, operation, coerced.coerced);
          if (error) {
            error.extensions.http = { status: 400 };
            throw error;
          }
        },
      }),
    };
  }

  /**
   * For graphql-ws's onSubscribe: parses, validates, resolves the operation, coerces its variables and checks it
   * exactly as Apollo does over HTTP. Returns what to execute, or the errors to answer with (coded as over HTTP).
   */
  prepare(payload: SubscribePayload): ExecutionArgs | GraphQLError[] {
    let document: DocumentNode;
    try {
      document = parse(payload.query, this.parseOptions);
    } catch (err) {
      return [coded(err, 'GRAPHQL_PARSE_FAILED')];
    }
    const invalid = validate(this.#schema, document, this.#rules);
    if (invalid.length) return invalid.map((e) => coded(e, 'GRAPHQL_VALIDATION_FAILED'));
    const operation = getOperationAST(document, payload.operationName);
    if (!operation) {
      const message = payload.operationName
        ? `Unknown operation named "${payload.operationName}".`
        : 'Must provide operation name if query contains multiple operations.';
      return [new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
    }
    const variables = payload.variables ?? {};
    const coerced = getVariableValues(this.#schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return coerced.errors.map((e) => coded(e, 'BAD_USER_INPUT'));
    const error = this.check(document, operation, coerced.coerced);
    if (error) return [error];
    return { schema: this.#schema, document, operationName: payload.operationName, variableValues: variables };
  }
}
