// Scope rules for resources inside one org, read or changed by id: what the caller may not see does not exist.
import type { Context } from '../context.ts';
import { notFound } from '../errors.ts';
import { type AdminCaller, mayAccessOrg, requireAdmin, requireOrg } from './guards.ts';

/** May the caller see data of this org? A resource it may not see is answered as if it did not exist. */
export function canSee(ctx: Context, orgId: string): boolean {
  return mayAccessOrg(requireAdmin(ctx), orgId, 'read');
}

/**
 * Before changing a resource of `orgId` (found by id): NOT_FOUND, blaming `field`, when the caller cannot see it
 * (its existence never leaks), FORBIDDEN when the caller may only read the org.
 */
export function requireWritable(ctx: Context, orgId: string, field: string, message: string): AdminCaller {
  if (!canSee(ctx, orgId)) throw notFound(field, message);
  return requireOrg(ctx, orgId, 'write');
}
