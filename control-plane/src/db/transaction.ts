// A write in one transaction (audited writes go through modules/audit/audited-change.ts); whether it changes config
// is decided by the database (config-change.ts).
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
