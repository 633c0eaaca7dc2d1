// Bounds on every argument value, checked before anything runs and on every transport: free text has a length
// limit by kind and must be text PostgreSQL can store, ids are never blank, lists have a length limit, JSON has a
// depth limit.
// The one place where these limits are set; services still check what their own rules need (format, emptiness).
import { unstorableTextReason } from '@gw/schema';
import {
  BREAK,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLInputType,
  type GraphQLSchema,
  getArgumentValues,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  Kind,
  type OperationDefinitionNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { badInput } from '../errors.ts';

/** Longest text each kind of input may hold, in code points (what PostgreSQL's length() counts). */
export const textLimits = {
  /** Names, slugs, aliases, search filters, ids, periods: every free-text input not listed below. */
  short: 200,
  /** Model names (public and upstream) and searches over them: provider model ids can be long. */
  modelName: 256,
  email: 254,
  password: 256,
  description: 2000,
  url: 2048,
  /** Page cursors: base64 of the keyset values (a long name in four-byte characters, and an id). */
  cursor: 2048,
  /** Provider API keys. */
  secret: 4096,
} as const;

export type TextKind = keyof typeof textLimits;

/**
 * Inputs that are not `short`, by schema coordinate (`Type.field` for input fields, `Type.field(arg)` for
 * arguments); a list of strings takes the kind of its items. Cursor arguments are matched by name below.
 */
export const textKinds: Record<string, TextKind> = {
  'CreateModelInput.name': 'modelName',
  'ModelDeploymentInput.upstreamModel': 'modelName',
  'AddModelDeploymentInput.upstreamModel': 'modelName',
  'UpdateModelDeploymentInput.upstreamModel': 'modelName',
  'ModelFilter.nameContains': 'modelName',
  'CreateVirtualKeyInput.allowedModels': 'modelName',
  'UpdateVirtualKeyInput.allowedModels': 'modelName',
  'ModuleEnablementInput.allowedModels': 'modelName',
  'SetOrgModelAccessInput.modelNames': 'modelName',
  'UsageFilter.models': 'modelName',
  'Mutation.login(email)': 'email',
  'CreateAdminUserInput.email': 'email',
  'CreateUserInput.email': 'email',
  'UpdateUserInput.email': 'email',
  'Mutation.login(password)': 'password',
  'Mutation.changePassword(currentPassword)': 'password',
  'Mutation.changePassword(newPassword)': 'password',
  'CreateAdminUserInput.password': 'password',
  'UpdateAdminUserInput.password': 'password',
  'CreateModuleInput.description': 'description',
  'UpdateModuleInput.description': 'description',
  'CreateProviderCredentialInput.baseUrl': 'url',
  'UpdateProviderCredentialInput.baseUrl': 'url',
  'CreateProviderCredentialInput.apiKey': 'secret',
  'CreateWebhookEndpointInput.url': 'url',
  'UpdateWebhookEndpointInput.url': 'url',
  'CreateWebhookEndpointInput.description': 'description',
  'UpdateWebhookEndpointInput.description': 'description',
  'RotateProviderCredentialInput.apiKey': 'secret',
};

const cursorArgs = new Set(['after', 'before']);

/** Items any list input may hold; services set tighter limits where they have a reason to. */
export const maxListItems = 1000;

/** Nesting of a JSON input: contract payloads need 3 levels; it bounds the recursion of whoever walks one. */
export const maxJsonDepth = 32;

/**
 * JSON inputs whose strings are not checked here: usage batches may carry text PostgreSQL refuses, and ingestion
 * rejects (and dead-letters) exactly those records rather than the whole batch.
 */
const rawJsonInputs = new Set(['Mutation.ingestUsage(batch)']);

function kindOf(coordinate: string, argName?: string): TextKind {
  if (argName && cursorArgs.has(argName)) return 'cursor';
  return textKinds[coordinate] ?? 'short';
}

/** Code points in `value`, counting no further than `max + 1`. */
function exceeds(value: string, max: number): boolean {
  if (value.length <= max) return false;
  let points = 0;
  for (const _ of value) if (++points > max) return true;
  return false;
}

/** `input.deployments.1.upstreamModel` -> `upstreamModel`: the name a message speaks of. */
function nameOf(path: string): string {
  return (
    path
      .split('.')
      .reverse()
      .find((s) => !/^\d+$/.test(s)) ?? path
  );
}

function textProblem(value: string, max: number, path: string): GraphQLError | null {
  const reason = unstorableTextReason(value);
  if (reason) return badInput(path, `${nameOf(path)} ${reason}`);
  if (exceeds(value, max)) return badInput(path, `${nameOf(path)} must be at most ${max} characters`);
  return null;
}

function jsonProblem(value: unknown, path: string, checkText: boolean, depth = 0): GraphQLError | null {
  if (typeof value === 'string') return checkText ? textProblem(value, Number.POSITIVE_INFINITY, path) : null;
  if (value === null || typeof value !== 'object') return null;
  if (depth >= maxJsonDepth) {
    return badInput(path, `${nameOf(path)} must not be nested more than ${maxJsonDepth} levels deep`);
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = jsonProblem(item, path, checkText, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const reason = checkText ? unstorableTextReason(key) : null;
    if (reason) return badInput(path, `${nameOf(path)} keys ${reason}`);
    const problem = jsonProblem((value as Record<string, unknown>)[key], path, checkText, depth + 1);
    if (problem) return problem;
  }
  return null;
}

/** The first bound `value` (coerced, of `type`) breaks, or null. `coordinate` names where it sits in the schema. */
function valueProblem(
  value: unknown,
  type: GraphQLInputType,
  coordinate: string,
  path: string,
  argName?: string,
): GraphQLError | null {
  if (value === null || value === undefined) return null;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return valueProblem(value, inner.ofType, coordinate, path, argName);
    if (value.length > maxListItems) {
      return badInput(path, `${nameOf(path)} may hold at most ${maxListItems} items`);
    }
    for (let i = 0; i < value.length; i++) {
      const problem = valueProblem(value[i], inner.ofType, coordinate, `${path}.${i}`, argName);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(inner)) {
    const fields = inner.getFields();
    for (const [name, field] of Object.entries(fields)) {
      const v = (value as Record<string, unknown>)[name];
      const problem = valueProblem(v, field.type, `${inner.name}.${name}`, `${path}.${name}`);
      if (problem) return problem;
    }
    return null;
  }
  if (isScalarType(inner) && (inner.name === 'String' || inner.name === 'ID') && typeof value === 'string') {
    // No id is blank. A blank orgId once skipped the scope check (it was tested for truthiness) and then filtered
    // nothing: `teams(orgId: "")` listed every org's.
    if (inner.name === 'ID' && value.trim() === '') return badInput(path, `${nameOf(path)} must not be empty`);
    return textProblem(value, textLimits[kindOf(coordinate, argName)], path);
  }
  if (isScalarType(inner) && inner.name === 'JSON') return jsonProblem(value, path, !rawJsonInputs.has(coordinate));
  return null;
}

/** Fragments the operation uses, directly or through other fragments. */
function usedFragments(document: DocumentNode, operation: OperationDefinitionNode): FragmentDefinitionNode[] {
  const byName = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) byName.set(def.name.value, def);
  const used = new Map<string, FragmentDefinitionNode>();
  const pending = [operation as OperationDefinitionNode | FragmentDefinitionNode];
  while (pending.length) {
    visit(pending.pop() as OperationDefinitionNode, {
      FragmentSpread(node) {
        const frag = byName.get(node.name.value);
        if (frag && !used.has(frag.name.value)) {
          used.set(frag.name.value, frag);
          pending.push(frag);
        }
      },
    });
  }
  return [...used.values()];
}

/**
 * Checks every argument of every field the operation selects, with the request's coerced variables; returns the
 * first problem as BAD_USER_INPUT naming the input path (`input.name`, `filter.search`), or null.
 */
export function inputLimitsError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): GraphQLError | null {
  let problem: GraphQLError | null = null;
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const def = typeInfo.getFieldDef();
      const parent = typeInfo.getParentType();
      if (!def || !parent || !node.arguments?.length) return undefined;
      let args: Record<string, unknown>;
      try {
        args = getArgumentValues(def, node, variables);
      } catch {
        // Validation and coercion report arguments that are invalid in themselves.
        return undefined;
      }
      for (const arg of def.args) {
        problem = valueProblem(args[arg.name], arg.type, `${parent.name}.${def.name}(${arg.name})`, arg.name, arg.name);
        if (problem) return BREAK;
      }
      return undefined;
    },
  });
  for (const def of [operation, ...usedFragments(document, operation)]) {
    visit(def, visitor);
    if (problem) return problem;
  }
  return null;
}
