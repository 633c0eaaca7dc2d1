// The deployments migration keeps existing data: each model routes to its former credential as one deployment of
// weight 1, and migrating down restores models.credential_id.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useOrmDatabase } from '../../test-support/orm-db.ts';

const fresh = useOrmDatabase();

const before = 'Migration20261201000001_usage_module';
const ids = {
  cred: '00000000-0000-4000-8000-0000000000c1',
  model: '00000000-0000-4000-8000-0000000000a1',
};

describe('Migration20261201000300_model_deployments', () => {
  it('turns each model into one deployment of weight 1, and back', async () => {
    await fresh.migrateUp(before);
    await fresh.db.query(
      `insert into provider_credentials (id, name, provider, base_url, secret_ciphertext, secret_iv, secret_tag, secret_hint)
       values ($1, 'legacy', 'openai', 'http://127.0.0.1:9/v1', $2, $3, $4, '...')`,
      [ids.cred, randomBytes(8), randomBytes(12), randomBytes(16)],
    );
    await fresh.db.query(
      `insert into models (id, name, credential_id, upstream_model, input_price_per_mtok, output_price_per_mtok,
                           cached_input_price_per_mtok)
       values ($1, 'legacy-model', $2, 'upstream-legacy', 1, 2, 0.5)`,
      [ids.model, ids.cred],
    );
    await fresh.migrateUp('Migration20261201000300_model_deployments');
    expect(
      await fresh.db.query('select model_id, credential_id, upstream_model, weight from model_deployments'),
    ).toEqual([{ model_id: ids.model, credential_id: ids.cred, upstream_model: 'upstream-legacy', weight: 1 }]);
    const columns = await fresh.db.query<{ column_name: string }>(
      "select column_name from information_schema.columns where table_name = 'models' order by column_name",
    );
    expect(columns.map((c) => c.column_name)).not.toContain('credential_id');

    await fresh.migrateDown(before);
    expect(await fresh.db.query('select credential_id, upstream_model from models')).toEqual([
      { credential_id: ids.cred, upstream_model: 'upstream-legacy' },
    ]);
  });
});
