// The transactions writes run in: a plain one (admin users, API tokens, billing settings: not a config change) with
// its audit, or, through inChange, the config-change transaction when the write changes what the snapshot holds.
import { inConfigChange } from './config-change.ts';
import type { Em } from './orm.ts';
import { asConflict } from './unique-violation.ts';

export async function inTransaction<T>(em: Em, write: (tem: Em) => Promise<T>): Promise<T> {
  try {
    return await em.transactional(async (tem) => {
      const result = await write(tem);
      await tem.flush();
      return result;
    });
  } catch (error) {
    throw asConflict(error);
  }
}

/**
 * The transaction a mutation runs in: a config change (version bump + NOTIFY, so data planes get it) when it changes
 * what the snapshot holds, a plain transaction when it only changes API-side fields or nothing (its audit event).
 */
export function inChange<T>(em: Em, configChange: boolean, write: (tem: Em) => Promise<T>): Promise<T> {
  return configChange ? inConfigChange(em, write) : inTransaction(em, write);
}
