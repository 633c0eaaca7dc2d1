// Runs a config-changing write in one transaction that also bumps config_state.version and notifies every replica.
import type { Em } from './orm.ts';
import { asConflict } from './unique-violation.ts';

export const configChannel = 'gw_config';

/**
 * The write, the version bump and `NOTIFY gw_config` commit together or not at all, so a data plane never
 * sees a version without its change, and every replica (LISTEN) learns of it once it is visible.
 */
export async function inConfigChange<T>(em: Em, write: (tem: Em) => Promise<T>): Promise<T> {
  try {
    return await em.transactional(async (tem) => {
      const result = await write(tem);
      await tem.flush();
      const rows = await tem.execute<{ version: string }[]>(
        'update config_state set version = version + 1 where id = 1 returning version',
      );
      await tem.execute('select pg_notify(?, ?)', [configChannel, String(rows[0].version)]);
      return result;
    });
  } catch (error) {
    throw asConflict(error);
  }
}

export async function currentConfigVersion(em: Em): Promise<number> {
  const rows = await em.execute<{ version: string }[]>('select version from config_state where id = 1');
  return Number(rows[0].version);
}
