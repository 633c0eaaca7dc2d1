// Config changes are captured by the database (migration config_changes): a write to a table the snapshot reads
// logs what it changed, and its commit bumps config_state.version and notifies every replica (NOTIFY gw_config).
import type { Em } from './orm.ts';
import { inTransaction } from './transaction.ts';

export const configChannel = 'gw_config';

/**
 * Kept so that callers compile while they still say whether they change config: a plain transaction now, since
 * the database decides that from what the write changed (and bumps the version only then).
 */
export function inConfigChange<T>(em: Em, write: (tem: Em) => Promise<T>): Promise<T> {
  return inTransaction(em, write);
}

export async function currentConfigVersion(em: Em): Promise<number> {
  const rows = await em.execute<{ version: string }[]>('select version from config_state where id = 1');
  return Number(rows[0].version);
}
