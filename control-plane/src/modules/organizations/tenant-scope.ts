// Scope rules for resources inside one org, read or changed by id.
import { type AdminCaller, mayAccessOrg, requireAdmin, requireOrg } from '../../access/guards.ts';
import type { Context } from '../../context.ts';
import { badInput, notFound } from '../../errors.ts';
import { isUuid } from '../../graphql/validate.ts';

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

/** An id in a list filter: BAD_USER_INPUT when it is not a uuid (no row could ever match it). */
export function filterId(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!isUuid(value)) throw badInput(field, `${field.split('.').pop()} is not a valid id`);
  return value;
}
