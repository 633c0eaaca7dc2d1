// Reads every row a snapshot needs, plus config_state.version, in one REPEATABLE READ transaction.
import { IsolationLevel } from '@mikro-orm/core';
import type { Em } from '../db/orm.ts';
import type { SnapshotRows } from './snapshot-rows.ts';

/**
 * One consistent view: the version read here is exactly the version of the rows read with it, even while
 * other replicas commit changes (each commit bumps the version, so a later change can never hide behind it).
 */
export async function loadSnapshotRows(em: Em): Promise<SnapshotRows> {
  return em.fork().transactional(
    async (tx) => {
      const q = <T>(sql: string) => tx.execute<T[]>(sql);
      const [state] = await q<{ version: string }>('select version from config_state where id = 1');
      return {
        version: Number(state.version),
        orgs: await q('select id, name, status, deleted_at from organizations'),
        teams: await q('select id, org_id, name, status, deleted_at from teams'),
        users: await q(
          `select u.id, u.org_id, u.email, u.status, u.deleted_at,
                  coalesce(array_agg(ut.team_id::text order by ut.team_id) filter (where ut.team_id is not null), '{}') as team_ids
             from users u left join user_teams ut on ut.user_id = u.id
            group by u.id`,
        ),
        keys: await q(
          // to_json: raw queries return timestamps as PostgreSQL text; this gives ISO-8601.
          `select id, org_id, team_id, user_id, module_id, prefix, key_hash, allowed_models,
                  to_json(expires_at) #>> '{}' as expires_at, revoked_at is not null as revoked,
                  previous_key_hash, to_json(previous_expires_at) #>> '{}' as previous_expires_at
             from virtual_keys where revoked_at is null`,
        ),
        modules: await q('select id, key, status, deleted_at from product_modules'),
        orgModules: await q('select id, org_id, module_id, allowed_models from org_modules'),
        credentials: await q(
          'select id, provider, base_url, secret_ciphertext, secret_iv, secret_tag from provider_credentials',
        ),
        models: await q(
          'select id, name, input_price_per_mtok, output_price_per_mtok, cached_input_price_per_mtok from models',
        ),
        deployments: await q('select id, model_id, credential_id, upstream_model, weight from model_deployments'),
        orgModelAccess: await q(
          `select a.org_id,
                  coalesce(array_agg(am.model_id::text) filter (where am.model_id is not null), '{}') as model_ids
             from org_model_access a left join org_allowed_models am on am.org_id = a.org_id
            group by a.org_id`,
        ),
      };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
