// The token-holder migration finds each earlier token's admin in the audit log (through chains of minted tokens),
// leaves tokens made with ADMIN_TOKEN without one, and revokes the tokens of admins already deleted.
import { describe, expect, it } from 'vitest';
import { useOrmDatabase } from '../../test-support/orm-db.ts';

const fresh = useOrmDatabase();

const before = 'Migration20261202000000_tenancy';
const holders = 'Migration20261203000000_api_token_holders';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe(holders, () => {
  it('takes holders from the audit log and revokes the tokens of deleted admins', async () => {
    await fresh.migrateUp(before);
    await fresh.db.query(`insert into organizations (id, name, slug) values ($1, 'Legacy', 'legacy')`, [id(1)]);
    await fresh.db.query(
      `insert into admin_users (id, email, password_hash, role, org_id) values ($1, 'a@legacy.io', 'x', 'org_admin', $2)`,
      [id(2), id(1)],
    );
    const gone = id(3); // an admin deleted before this version
    const token = async (n: number, actorKind: string, actorId: string | null) => {
      await fresh.db.query(
        `insert into api_tokens (id, name, prefix, token_hash, role, org_id, created_by)
         values ($1, 't', 'gwt_x', $2, 'org_viewer', $3, 'someone')`,
        [id(n), String(n).repeat(64).slice(0, 64), id(1)],
      );
      await fresh.db.query(
        `insert into audit_events (actor_kind, actor_id, actor_label, org_id, action, target_type, target_id)
         values ($1, $2, 'someone', $3, 'apiToken.create', 'apiToken', $4)`,
        [actorKind, actorId, id(1), id(n)],
      );
    };
    await token(10, 'admin_user', id(2));
    await token(11, 'api_token', id(10)); // minted by 10
    await token(12, 'api_token', id(11)); // minted by 11
    await token(13, 'static_token', null);
    await token(14, 'api_token', id(13)); // minted by a token ADMIN_TOKEN made
    await token(15, 'admin_user', gone);
    await token(16, 'api_token', id(15));

    await fresh.migrateUp(holders);
    const rows = await fresh.db.query(
      'select id, holder_admin_id, revoked_at is not null as revoked from api_tokens order by id',
    );
    expect(rows).toEqual([
      { id: id(10), holder_admin_id: id(2), revoked: false },
      { id: id(11), holder_admin_id: id(2), revoked: false },
      { id: id(12), holder_admin_id: id(2), revoked: false },
      { id: id(13), holder_admin_id: null, revoked: false },
      { id: id(14), holder_admin_id: null, revoked: false },
      { id: id(15), holder_admin_id: gone, revoked: true },
      { id: id(16), holder_admin_id: gone, revoked: true },
    ]);

    await fresh.migrateDown(before);
    const columns = await fresh.db.query<{ column_name: string }>(
      "select column_name from information_schema.columns where table_name = 'api_tokens'",
    );
    expect(columns.map((c) => c.column_name)).not.toContain('holder_admin_id');
    await fresh.migrateUp();
  });
});
