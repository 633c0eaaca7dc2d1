// The transaction a change inside one org runs in, and ids in list filters. (Who may do what: access/operations.ts.)
import { inConfigChange } from '../../db/config-change.ts';
import type { Em } from '../../db/orm.ts';
import { inTransaction } from '../../db/transaction.ts';
import { badInput } from '../../errors.ts';
import { isUuid } from '../../graphql/validate.ts';

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
