// Applies one entry of the operation table (access/operations.ts) to a caller: the operation runs, answers null
// (a lookup out of scope), or is refused with a typed error. Platform admins reach everything, org roles only their
// own org, viewers only read; the data-plane token only its own operations.
import type { Context } from '../context.ts';
import { forbidden, notFound, unauthenticated } from '../errors.ts';
import { isUuid } from '../graphql/validate.ts';
import type { AdminCaller, Principal } from './caller.ts';
import { type ArgPath, type Operation, operations, type Scope } from './operations.ts';
import { missingMessage, ownerOrg } from './owners.ts';
import { mayGrant, type Role } from './roles.ts';

/** 'run': go ahead; 'null': answer null without running (the caller may not know whether the thing exists). */
export type Verdict = 'run' | 'null';

const onlyPlatform = 'Only platform admins may do this';

/** The value at a dotted path of the arguments; null when absent. */
export function argAt(args: Record<string, unknown>, path: ArgPath): unknown {
  let value: unknown = args;
  for (const key of path.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object') return null;
    value = (value as Record<string, unknown>)[key];
  }
  return value ?? null;
}

export function operationOf(coordinate: string): Operation {
  const op = operations[coordinate];
  // Fails closed: guard-schema.ts refuses to build a schema whose root fields are not all in the table.
  if (!op) throw new Error(`${coordinate} has no entry in access/operations.ts`);
  return op;
}

/**
 * Whether `ctx`'s caller may run the operation at `coordinate` (e.g. `Mutation.updateTeam`) with `args`; `root` is
 * the parent object of a nested field. Synchronous unless the scope needs a lookup (an `owner`).
 */
export function authorize(
  ctx: Context,
  coordinate: string,
  args: Record<string, unknown>,
  root?: unknown,
): Verdict | Promise<Verdict> {
  const op = operationOf(coordinate);
  const { caller } = ctx;
  if (op.roles.includes('anyone')) return 'run';
  if (op.scope.kind === 'self' && op.scope.orNull) {
    if (caller.kind !== 'admin' || caller.principal.kind !== 'admin_user') return 'null';
  }
  if (caller.kind === 'anonymous') {
    throw unauthenticated(caller.reason === 'missing' ? 'Authentication required' : 'Invalid or expired token');
  }
  if (caller.kind === 'data-plane') {
    if (op.roles.includes('data-plane')) return 'run';
    throw forbidden('The data-plane token cannot use this field');
  }
  if (op.roles.includes('data-plane')) throw forbidden('Only data planes may use this field');
  const verdict = inScope(ctx, caller, op, args, root);
  if (verdict instanceof Promise) return verdict.then((v) => withPlatformArgs(caller, op, args, v));
  return withPlatformArgs(caller, op, args, verdict);
}

function withPlatformArgs(caller: AdminCaller, op: Operation, args: Record<string, unknown>, verdict: Verdict) {
  if (verdict === 'run' && caller.role !== 'platform_admin') {
    for (const path of op.platformArgs ?? []) if (argAt(args, path)) throw forbidden(onlyPlatform);
    for (const [path, values] of Object.entries(op.platformValues ?? {})) {
      if (values.includes(argAt(args, path))) throw forbidden(onlyPlatform);
    }
  }
  return verdict;
}

function inScope(
  ctx: Context,
  caller: AdminCaller,
  op: Operation,
  args: Record<string, unknown>,
  root: unknown,
): Verdict | Promise<Verdict> {
  const scope: Scope = op.scope;
  switch (scope.kind) {
    case 'platform':
    case 'caller':
      return platformCheck(caller, op);
    case 'self':
      if (caller.principal.kind !== 'admin_user') throw forbidden('Only a logged-in admin has a password');
      return platformCheck(caller, op);
    case 'org': {
      const orgId = argAt(args, scope.from);
      if (orgId === null) {
        if (scope.absent === 'caller') return platformCheck(caller, op);
        return grantCheck(caller, op, args, null, roleCheck(caller, ['platform_admin']));
      }
      return grantCheck(caller, op, args, String(orgId), orgCheck(caller, String(orgId), op, scope.hidden));
    }
    case 'owner':
      return ownerCheck(ctx, caller, op, scope, args);
    case 'parent':
      return orgCheck(caller, scope.org(root as never), op);
  }
}

/** A role handed out in `orgId` (null: the platform) may not exceed the caller's own. */
function grantCheck(
  caller: AdminCaller,
  op: Operation,
  args: Record<string, unknown>,
  orgId: string | null,
  verdict: Verdict,
): Verdict {
  const role = op.grants && verdict === 'run' ? (argAt(args, op.grants) as Role | null) : null;
  if (role && !mayGrant(caller, role, orgId)) throw forbidden('You may not grant this role');
  return verdict;
}

/** Operations without a tenant: the caller's role must be listed. */
function platformCheck(caller: AdminCaller, op: Operation): Verdict {
  return roleCheck(caller, op.roles);
}

function roleCheck(caller: AdminCaller, roles: Operation['roles']): Verdict {
  if (!roles.includes(caller.role)) throw forbidden(onlyPlatform);
  return 'run';
}

/** One org's data: a foreign org is FORBIDDEN, a role not listed (a viewer's write) FORBIDDEN, a non-id NOT_FOUND. */
function orgCheck(caller: AdminCaller, orgId: string, op: Operation, hidden?: 'null'): Verdict {
  if (caller.role !== 'platform_admin' && caller.orgId !== orgId) {
    if (hidden) return 'null';
    throw forbidden('This organization is outside your scope');
  }
  if (!op.roles.includes(caller.role)) throw forbidden('Your role may only read this organization');
  // Only a platform admin gets here with an id that is not a UUID; it must not reach a uuid column.
  if (!isUuid(orgId)) {
    if (hidden) return 'null';
    throw notFound('orgId', 'No organization with this id');
  }
  return 'run';
}

/** A thing named by id: out of sight (missing, or another org's) is NOT_FOUND, so its existence never leaks. */
async function ownerCheck(
  ctx: Context,
  caller: AdminCaller,
  op: Operation,
  scope: Extract<Scope, { kind: 'owner' }>,
  args: Record<string, unknown>,
): Promise<Verdict> {
  const id = String(argAt(args, scope.from) ?? '');
  const owner = await ownerOrg(ctx.em, scope.of, id);
  const visible = owner && (caller.role === 'platform_admin' || owner.orgId === caller.orgId);
  if (!owner || !visible) {
    if (scope.hidden) return 'null';
    throw notFound(scope.from, missingMessage(scope.of, id));
  }
  const verdict = owner.orgId === null ? roleCheck(caller, ['platform_admin']) : orgCheck(caller, owner.orgId, op);
  return grantCheck(caller, op, args, owner.orgId, verdict);
}

/**
 * The admin an operation runs for, once the table admitted it (its scope already checked). Calling it from an
 * operation the table opens to others is a bug, reported as one.
 */
export function adminOf(ctx: Context): AdminCaller {
  if (ctx.caller.kind !== 'admin') throw new Error('adminOf() called for an operation that admits non-admins');
  return ctx.caller;
}

/** The acting admin as every service takes it: the principal its audit events name, as their first parameter. */
export const actorOf = (ctx: Context): Principal => adminOf(ctx).principal;
