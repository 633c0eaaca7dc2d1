// The tenancy migration keeps existing keys valid where it can: ownerless keys of earlier versions are revoked (no
// owner can be guessed), a user key's team is kept only when the user is in it; migrating down and up again works.
import { describe, expect, it } from 'vitest';
import { useOrmDatabase } from '../../test-support/orm-db.ts';

const fresh = useOrmDatabase();

const before = 'Migration20261201000300_model_deployments';
const tenancy = 'Migration20261202000000_tenancy';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe(tenancy, () => {
  it('revokes ownerless keys and drops a user key team the user is not in', async () => {
    await fresh.migrateUp(before);
    await fresh.db.query(`insert into organizations (id, name, slug) values ($1, 'Legacy', 'legacy')`, [id(1)]);
    await fresh.db.query(`insert into teams (id, org_id, name) values ($1, $3, 'In'), ($2, $3, 'Out')`, [
      id(2),
      id(3),
      id(1),
    ]);
    await fresh.db.query(`insert into users (id, org_id, email) values ($1, $2, 'u@legacy.io')`, [id(4), id(1)]);
    await fresh.db.query('insert into user_teams (user_id, team_id) values ($1, $2)', [id(4), id(2)]);
    const key = (n: number, team: string | null, user: string | null) =>
      fresh.db.query(
        `insert into virtual_keys (id, org_id, team_id, user_id, name, prefix, key_hash)
         values ($1, $2, $3, $4, 'k', 'sk-gw-x', $5)`,
        [id(n), id(1), team, user, String(n).repeat(64).slice(0, 64)],
      );
    await key(10, null, null); // ownerless
    await key(11, id(2), id(4)); // user key, attributed to a team of the user
    await key(12, id(3), id(4)); // user key, attributed to a team the user is not in
    await key(13, id(3), null); // team key
    await fresh.migrateUp(tenancy);
    const rows = await fresh.db.query(
      'select id, team_id, user_id, revoked_at is not null as revoked, metadata from virtual_keys order by id',
    );
    expect(rows).toEqual([
      { id: id(10), team_id: null, user_id: null, revoked: true, metadata: {} },
      { id: id(11), team_id: id(2), user_id: id(4), revoked: false, metadata: {} },
      { id: id(12), team_id: null, user_id: id(4), revoked: false, metadata: {} },
      { id: id(13), team_id: id(3), user_id: null, revoked: false, metadata: {} },
    ]);
    // Unrevoked keys without an owner are impossible from now on.
    await expect(
      fresh.db.query(
        `insert into virtual_keys (id, org_id, name, prefix, key_hash) values ($1, $2, 'k', 'sk-gw-x', $3)`,
        [id(14), id(1), 'e'.repeat(64)],
      ),
    ).rejects.toThrow(/virtual_keys_owner_check/);

    await fresh.migrateDown(before);
    const columns = await fresh.db.query<{ column_name: string }>(
      "select column_name from information_schema.columns where table_name = 'virtual_keys'",
    );
    expect(columns.map((c) => c.column_name)).not.toContain('module_id');
    await fresh.migrateUp();
  });
});
