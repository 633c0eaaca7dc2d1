// Config change capture: the database decides whether a write changes the data planes' config, from what changed.
// Row triggers on every table the snapshot reads log the (kind, id) of each snapshot resource a write touches, when a
// column the snapshot reads changed; a deferred constraint trigger then bumps config_state.version once per
// transaction, stamps that transaction's rows with it and notifies gw_config (see PROTOCOL.md, "Change capture").
import { Migration } from '@mikro-orm/migrations';

/** One table's capture: which snapshot resource a row names, and which of its columns the snapshot reads. */
interface Capture {
  table: string;
  kind: string;
  /** The column holding the id of the resource the row belongs to (the row's own id, or its owner's). */
  idColumn: string;
  /** Columns the snapshot reads (besides idColumn); an update that changes none of them is not a config change. */
  columns: string[];
  /** Rows the snapshot never holds (revoked keys, deleted orgs…), as a condition on `r`; changes to them are skipped. */
  live?: (r: 'old' | 'new') => string;
}

const notDeleted = (r: string) => `${r}.deleted_at is null`;

export const captures: Capture[] = [
  { table: 'organizations', kind: 'orgs', idColumn: 'id', columns: ['name', 'status'], live: notDeleted },
  { table: 'teams', kind: 'teams', idColumn: 'id', columns: ['org_id', 'name', 'status'], live: notDeleted },
  { table: 'users', kind: 'users', idColumn: 'id', columns: ['org_id', 'email', 'status'], live: notDeleted },
  { table: 'user_teams', kind: 'users', idColumn: 'user_id', columns: ['team_id'] },
  {
    table: 'virtual_keys',
    kind: 'keys',
    idColumn: 'id',
    columns: [
      'org_id',
      'team_id',
      'user_id',
      'module_id',
      'prefix',
      'key_hash',
      'allowed_models',
      'expires_at',
      'previous_key_hash',
      'previous_expires_at',
    ],
    live: (r) => `${r}.revoked_at is null`,
  },
  { table: 'product_modules', kind: 'modules', idColumn: 'id', columns: ['key', 'status'], live: notDeleted },
  { table: 'org_modules', kind: 'orgModules', idColumn: 'id', columns: ['org_id', 'module_id', 'allowed_models'] },
  {
    table: 'provider_credentials',
    kind: 'credentials',
    idColumn: 'id',
    columns: ['provider', 'base_url', 'secret_ciphertext', 'secret_iv', 'secret_tag'],
  },
  {
    table: 'models',
    kind: 'models',
    idColumn: 'id',
    columns: ['name', 'input_price_per_mtok', 'output_price_per_mtok', 'cached_input_price_per_mtok'],
  },
  {
    table: 'model_deployments',
    kind: 'models',
    idColumn: 'model_id',
    columns: ['id', 'credential_id', 'upstream_model', 'weight'],
  },
  { table: 'org_model_access', kind: 'orgs', idColumn: 'org_id', columns: [] },
  { table: 'org_allowed_models', kind: 'orgs', idColumn: 'org_id', columns: ['model_id'] },
];

function captureTriggers(c: Capture): string {
  const name = `${c.table}_config_capture`;
  const args = `'${c.kind}', '${c.idColumn}'`;
  const changed = [c.idColumn, ...c.columns].map((col) => `old.${col} is distinct from new.${col}`);
  // A soft delete (or revoke) is a change of presence; only the presence of the timestamp matters.
  if (c.live) changed.push(`(${c.live('old')}) is distinct from (${c.live('new')})`);
  const updateWhen = c.live
    ? `((${c.live('old')}) or (${c.live('new')})) and (${changed.join(' or ')})`
    : changed.join(' or ');
  return `
    create trigger ${name}_ins after insert on ${c.table} for each row
      ${c.live ? `when (${c.live('new')})` : ''} execute function config_capture(${args});
    create trigger ${name}_del after delete on ${c.table} for each row
      ${c.live ? `when (${c.live('old')})` : ''} execute function config_capture(${args});
    create trigger ${name}_upd after update on ${c.table} for each row
      when (${updateWhen}) execute function config_capture(${args});
  `;
}

export class Migration20261208000000_config_changes extends Migration {
  override up(): void {
    this.addSql(`
      -- What each config version changed: the snapshot resources (kind, id) its transaction touched. version is
      -- null until the transaction commits (stamped by config_changes_commit); readers only see stamped rows.
      create table config_changes (
        seq bigint generated always as identity primary key,
        txid bigint not null default txid_current(),
        version bigint,
        kind text not null,
        id text not null
      );
      create index config_changes_version_idx on config_changes (version);
      create index config_changes_pending_idx on config_changes (txid) where version is null;

      -- Changes of every version after log_from are in config_changes (older ones may have been pruned).
      alter table config_state add column log_from bigint not null default 0;
      update config_state set log_from = version;

      create function config_capture() returns trigger language plpgsql as $fn$
      declare
        before_id text;
        after_id text;
      begin
        if tg_op <> 'INSERT' then before_id := to_jsonb(old) ->> tg_argv[1]; end if;
        if tg_op <> 'DELETE' then after_id := to_jsonb(new) ->> tg_argv[1]; end if;
        insert into config_changes (kind, id) values (tg_argv[0], coalesce(after_id, before_id));
        if before_id is distinct from after_id and before_id is not null and after_id is not null then
          insert into config_changes (kind, id) values (tg_argv[0], before_id);
        end if;
        return null;
      end
      $fn$;

      -- At commit, once per transaction that logged changes: one version bump, its rows stamped, one NOTIFY.
      -- Committers queue on the config_state row lock, so versions follow commit order.
      create function config_changes_commit() returns trigger language plpgsql as $fn$
      declare
        v bigint;
        keep constant bigint := 10000;
      begin
        if not exists (select 1 from config_changes where txid = txid_current() and version is null) then
          return null;
        end if;
        update config_state set version = version + 1 where id = 1 returning version into v;
        update config_changes set version = v where txid = txid_current() and version is null;
        -- Pruning: every 1,000 versions, drop what is older than the last 10,000.
        if v % 1000 = 0 and v > keep then
          delete from config_changes where version <= v - keep;
          update config_state set log_from = greatest(log_from, v - keep) where id = 1;
        end if;
        perform pg_notify('gw_config', v::text);
        return null;
      end
      $fn$;

      create constraint trigger config_changes_commit after insert on config_changes
        deferrable initially deferred for each row execute function config_changes_commit();

      ${captures.map(captureTriggers).join('\n')}
    `);
  }

  override down(): void {
    this.addSql(`
      ${captures
        .map((c) =>
          ['ins', 'del', 'upd']
            .map((op) => `drop trigger if exists ${c.table}_config_capture_${op} on ${c.table};`)
            .join('\n'),
        )
        .join('\n')}
      drop table if exists config_changes;
      drop function if exists config_capture(), config_changes_commit();
      alter table config_state drop column log_from;
    `);
  }
}
