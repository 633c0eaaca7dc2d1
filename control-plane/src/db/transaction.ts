// A write in one transaction with its audit; whether it changes config is decided by the database (config-change.ts).
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
 * The transaction a mutation runs in. Kept so that callers compile while they still say whether they change config:
 * the database now decides that from what the write changed (config-change.ts), so `configChange` is not read.
 */
export function inChange<T>(em: Em, _configChange: boolean, write: (tem: Em) => Promise<T>): Promise<T> {
  return inTransaction(em, write);
}
