// Finds the admin behind a session token hash (valid, unexpired sessions only).
import type { Em } from '../../db/orm.ts';

export async function findSessionAdminId(em: Em, tokenHash: string): Promise<string | null> {
  const rows = await em.execute<{ admin_id: string }[]>(
    'select admin_id from admin_sessions where token_hash = ? and expires_at > now()',
    [tokenHash],
  );
  return rows[0]?.admin_id ?? null;
}
