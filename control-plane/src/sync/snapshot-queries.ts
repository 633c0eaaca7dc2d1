// The one SQL definition of each table the snapshot reads, filtered by what a change needs (or not at all for a
// full build), and the reads of a change: all in one REPEATABLE READ transaction with config_state.version.

import type { ResourceKind } from '@gw/schema';
import { IsolationLevel } from '@mikro-orm/core';
import type { Em } from '../db/orm.ts';
import type { Filter, Load, Table } from './apply-changes.ts';

const anyOf = '= any(?::uuid[])';

interface Query {
  /** The select, with `%s` where the row condition goes. */
  sql: string;
  /** Row conditions by filter name (each with one parameter: the ids). */
  by: Partial<Record<Filter['by'], string>>;
}

const queries: Record<Table, Query> = {
  orgs: {
    sql: 'select id, name, status, budget_fail_open, deleted_at from organizations o where %s',
    by: { id: `o.id ${anyOf}` },
  },
  teams: {
    sql: 'select id, org_id, name, status, deleted_at from teams t where %s',
    by: { id: `t.id ${anyOf}`, org: `t.org_id ${anyOf}` },
  },
  users: {
    sql: `select u.id, u.org_id, u.email, u.status, u.deleted_at,
                 coalesce(array_agg(ut.team_id::text order by ut.team_id) filter (where ut.team_id is not null), '{}') as team_ids
            from users u left join user_teams ut on ut.user_id = u.id
           where %s
           group by u.id`,
    by: {
      id: `u.id ${anyOf}`,
      org: `u.org_id ${anyOf}`,
      team: `u.id in (select m.user_id from user_teams m where m.team_id ${anyOf})`,
    },
  },
  keys: {
    // to_json: raw queries return timestamps as PostgreSQL text; this gives ISO-8601.
    sql: `select id, org_id, team_id, user_id, module_id, prefix, key_hash, allowed_models,
                 to_json(expires_at) #>> '{}' as expires_at, revoked_at is not null as revoked,
                 previous_key_hash, to_json(previous_expires_at) #>> '{}' as previous_expires_at
            from virtual_keys k where revoked_at is null and (%s)`,
    by: {
      id: `k.id ${anyOf}`,
      org: `k.org_id ${anyOf}`,
      team: `k.team_id ${anyOf}`,
      user: `k.user_id ${anyOf}`,
      module: `k.module_id ${anyOf}`,
    },
  },
  modules: { sql: 'select id, key, status, deleted_at from product_modules p where %s', by: { id: `p.id ${anyOf}` } },
  orgModules: {
    sql: 'select id, org_id, module_id, allowed_models from org_modules e where %s',
    by: { id: `e.id ${anyOf}`, org: `e.org_id ${anyOf}`, module: `e.module_id ${anyOf}` },
  },
  limits: {
    sql: `select id, org_id, scope_kind, scope_id,
                 (budget_daily * 1000000000)::bigint::text as daily, (budget_weekly * 1000000000)::bigint::text as weekly,
                 (budget_monthly * 1000000000)::bigint::text as monthly, (budget_total * 1000000000)::bigint::text as total,
                 rpm, tpm
            from scope_limits l where %s`,
    by: { id: `l.id ${anyOf}`, org: `l.org_id ${anyOf}` },
  },
  credentials: {
    sql: 'select id, provider, base_url, secret_ciphertext, secret_iv, secret_tag from provider_credentials c where %s',
    by: { id: `c.id ${anyOf}` },
  },
  models: {
    sql: 'select id, name, input_price_per_mtok, output_price_per_mtok, cached_input_price_per_mtok from models m where %s',
    by: {
      id: `m.id ${anyOf}`,
      credential: `m.id in (select d.model_id from model_deployments d where d.credential_id ${anyOf})`,
    },
  },
  deployments: {
    sql: 'select id, model_id, credential_id, upstream_model, weight from model_deployments d where %s',
    by: { model: `d.model_id ${anyOf}` },
  },
  orgModelAccess: {
    sql: `select a.org_id,
                 coalesce(array_agg(am.model_id::text) filter (where am.model_id is not null), '{}') as model_ids
            from org_model_access a left join org_allowed_models am on am.org_id = a.org_id
           where %s
           group by a.org_id`,
    by: {
      org: `a.org_id ${anyOf}`,
      model: `a.org_id in (select x.org_id from org_allowed_models x where x.model_id ${anyOf})`,
    },
  },
};

const pgArray = (ids: string[]) => `{${ids.join(',')}}`;

/** Runs one load of the build steps. */
export async function loadRows(tx: Em, load: Load): Promise<unknown[]> {
  const q = queries[load.table];
  if (load.filters === 'all') return tx.execute(q.sql.replace('%s', 'true'));
  const conditions: string[] = [];
  const params: string[] = [];
  for (const f of load.filters) {
    const condition = q.by[f.by];
    if (!condition) throw new Error(`${load.table} cannot be filtered by ${f.by}`);
    conditions.push(condition);
    params.push(pgArray(f.ids));
  }
  return tx.execute(q.sql.replace('%s', conditions.join(' or ')), params);
}

export interface ConfigPosition {
  version: number;
  /** Changes of every version after this one are in config_changes. */
  logFrom: number;
}

export async function configPosition(tx: Em): Promise<ConfigPosition> {
  const [s] = await tx.execute<{ version: string; log_from: string }[]>(
    'select version, log_from from config_state where id = 1',
  );
  return { version: Number(s.version), logFrom: Number(s.log_from) };
}

/** The resources changed by the versions after `from` up to `to`. */
export async function changedSince(tx: Em, from: number, to: number): Promise<Map<ResourceKind, Set<string>>> {
  const rows = await tx.execute<{ kind: ResourceKind; id: string }[]>(
    'select distinct kind, id from config_changes where version > ? and version <= ?',
    [from, to],
  );
  const pending = new Map<ResourceKind, Set<string>>();
  for (const r of rows) {
    const ids = pending.get(r.kind) ?? new Set();
    ids.add(r.id);
    pending.set(r.kind, ids);
  }
  return pending;
}

/** Runs `read` in one consistent REPEATABLE READ, read-only transaction. */
export function readConsistently<T>(em: Em, read: (tx: Em) => Promise<T>): Promise<T> {
  return em.fork().transactional(read, { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true });
}
