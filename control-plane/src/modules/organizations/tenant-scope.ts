// Scope rules for resources inside one org, read or changed by id, and the transaction a change runs in.
import { type AdminCaller, mayAccessOrg, requireAdmin, requireOrg } from '../../access/guards.ts';
import type { Context } from '../../context.ts';
import { inConfigChange } from '../../db/config-change.ts';
import type { Em } from '../../db/orm.ts';
import { inTransaction } from '../../db/transaction.ts';
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

/**
 * The transaction a mutation runs in: a config change (version bump + NOTIFY, so data planes get it) when it changes
 * what the snapshot holds, a plain transaction when it only changes API-side fields or nothing (its audit event).
 */
export function inChange<T>(em: Em, configChange: boolean, write: (tem: Em) => Promise<T>): Promise<T> {
  return configChange ? inConfigChange(em, write) : inTransaction(em, write);
}

/** An id in a list filter: BAD_USER_INPUT when it is not a uuid (no row could ever match it). */
export function filterId(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!isUuid(value)) throw badInput(field, `${field.split('.').pop()} is not a valid id`);
  return value;
}
