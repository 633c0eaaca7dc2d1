// Config changes are captured by the database (migration config_changes): a write to a table the snapshot reads
// logs what it changed, and its commit bumps config_state.version and notifies every replica (NOTIFY gw_config).
import type { Em } from './orm.ts';

export const configChannel = 'gw_config';

export async function currentConfigVersion(em: Em): Promise<number> {
  const rows = await em.execute<{ version: string }[]>('select version from config_state where id = 1');
  return Number(rows[0].version);
}
