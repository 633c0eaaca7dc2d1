// Tenant scope, enforced in every resolver: platform admins reach everything, org roles only their own org,
// viewers only read. A resolver names what it touches; these functions decide, and throw typed errors.
import type { Context } from '../context.ts';
import { forbidden, notFound, unauthenticated } from '../errors.ts';
import { isUuid } from '../graphql/validate.ts';
import type { Caller, Principal, Role } from './caller.ts';

export type Access = 'read' | 'write';

export type AdminCaller = Extract<Caller, { kind: 'admin' }>;

/** The admin behind the request; UNAUTHENTICATED / FORBIDDEN for anyone else (the data plane included). */
export function requireAdmin(ctx: Context): AdminCaller {
  const { caller } = ctx;
  if (caller.kind === 'anonymous') {
    throw unauthenticated(caller.reason === 'missing' ? 'Authentication required' : 'Invalid or expired token');
  }
  if (caller.kind !== 'admin') throw forbidden('The data-plane token cannot use this field');
  return caller;
}

/** Platform-wide data (the module catalogue, providers, billing, all orgs): platform admins only. */
export function requirePlatform(ctx: Context, _access: Access): AdminCaller {
  const caller = requireAdmin(ctx);
  if (caller.role !== 'platform_admin') throw forbidden('Only platform admins may do this');
  return caller;
}

/** True when the caller may read (or write) data of `orgId`. */
export function mayAccessOrg(caller: AdminCaller, orgId: string, access: Access): boolean {
  if (caller.role === 'platform_admin') return true;
  if (caller.orgId !== orgId) return false;
  return access === 'read' || caller.role === 'org_admin';
}

/** One org's data. A foreign org is FORBIDDEN; a viewer's write is FORBIDDEN; an id that is not one is NOT_FOUND. */
export function requireOrg(ctx: Context, orgId: string, access: Access): AdminCaller {
  const caller = requireAdmin(ctx);
  if (caller.role !== 'platform_admin' && caller.orgId !== orgId) {
    throw forbidden('This organization is outside your scope');
  }
  if (!mayAccessOrg(caller, orgId, access)) throw forbidden('Your role may only read this organization');
  // Only a platform admin gets here with an id that is not a UUID; it must not reach a uuid column.
  if (!isUuid(orgId)) throw notFound('orgId', 'No organization with this id');
  return caller;
}

/** The org a list is limited to for this caller: null = every org (platform admins). */
export function orgScope(ctx: Context): string | null {
  return requireAdmin(ctx).orgId;
}

/** Roles a caller may hand out (to admin users and API tokens): never more than its own. */
export function mayGrant(caller: AdminCaller, role: Role, orgId: string | null): boolean {
  if (caller.role === 'platform_admin') return true;
  return caller.role === 'org_admin' && role !== 'platform_admin' && orgId === caller.orgId;
}

/** Who did it, for the audit log. */
export function actorOf(ctx: Context): Principal {
  return requireAdmin(ctx).principal;
}
