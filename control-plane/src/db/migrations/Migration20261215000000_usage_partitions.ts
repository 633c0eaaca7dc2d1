// usage_records becomes a table partitioned by UTC month of ts (so whole months can be dropped by retention), with
// exactly-once ingestion kept by a table of its own, usage_request_ids; the rows held are copied over.
import { Migration } from '@mikro-orm/migrations';

/** Every column of usage_records, in table order (Migration20251124000000_init plus the later additions). */
const columns = [
  'id',
  'request_id',
  'ts',
  'node_id',
  'org_id',
  'team_id',
  'user_id',
  'key_id',
  'model',
  'provider',
  'upstream_model',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cost_usd',
  'latency_ms',
  'overhead_ms',
  'status',
  'error_code',
  'stream',
  'received_at',
  'module_id',
  'incomplete',
].join(', ');

const columnDefs = `
        request_id text not null,
        ts timestamptz not null,
        node_id text not null,
        org_id text not null,
        team_id text,
        user_id text,
        key_id text not null,
        model text not null,
        provider text,
        upstream_model text,
        input_tokens bigint not null,
        output_tokens bigint not null,
        cached_input_tokens bigint not null,
        cost_usd numeric(20, 10) not null,
        latency_ms double precision not null,
        overhead_ms double precision not null,
        status smallint not null,
        error_code text,
        stream boolean not null,
        received_at timestamptz not null default now(),
        module_id text,
        incomplete boolean not null default false`;

/** The rollup triggers of Migration20261201000200_usage_rollups, on the table named. */
const rollupTriggers = (table: string) => `
      create trigger usage_records_rollup_insert after insert on ${table}
        referencing new table as new_rows for each statement execute function usage_rollup_apply();
      create trigger usage_records_rollup_update after update on ${table}
        referencing old table as old_rows new table as new_rows for each statement execute function usage_rollup_apply();
      create trigger usage_records_rollup_delete after delete on ${table}
        referencing old table as old_rows for each statement execute function usage_rollup_apply();
      create trigger usage_records_rollup_truncate after truncate on ${table}
        for each statement execute function usage_rollup_truncate();`;

/** The advisory lock of usage maintenance (modules/usage/usage-lifecycle.ts uses the same number). */
const lifecycleLockKey = 4_157_313;

export class Migration20261215000000_usage_partitions extends Migration {
  override up(): void {
    this.addSql(`
      -- The old table steps aside under names of its own (index and sequence names are per schema).
      alter table usage_records rename to usage_records_unpartitioned;
      alter table usage_records_unpartitioned rename constraint usage_records_pkey to usage_records_unpartitioned_pkey;
      alter table usage_records_unpartitioned
        rename constraint usage_records_request_id_key to usage_records_unpartitioned_request_id_key;
      alter index usage_records_org_ts_idx rename to usage_records_unpartitioned_org_ts_idx;
      alter sequence usage_records_id_seq rename to usage_records_unpartitioned_id_seq;

      -- A unique index of a partitioned table must contain the partition key, so request_id cannot be unique here:
      -- usage_request_ids keeps it unique instead (usage.service.ts inserts there first, in the same statement).
      -- The identity works through the parent on PostgreSQL 15 too (there, partitions do not carry it themselves).
      create table usage_records (
        id bigint generated always as identity,${columnDefs},
        primary key (id, ts)
      ) partition by range (ts);
      create index usage_records_org_ts_idx on usage_records (org_id, ts);
      -- Records whose month has no partition (far future, or older than the first partition) land here; see
      -- docs/operations.md, "Data lifecycle".
      create table usage_records_default partition of usage_records default;

      -- Every requestId ingested with its ts: the dedupe window. Rows older than the retention horizon are deleted
      -- (usage-lifecycle.ts) and records older than it are refused, so a forgotten id can never be stored twice.
      create table usage_request_ids (
        request_id text primary key,
        ts timestamptz not null
      );

      -- One row: the retention horizon in force (records with ts before it are gone and refused; null = none) and
      -- the one below which request ids have been forgotten (it trails the first by one maintenance run).
      create table usage_lifecycle (
        id smallint primary key default 1 check (id = 1),
        records_horizon timestamptz,
        ids_horizon timestamptz
      );
      insert into usage_lifecycle (id) values (1);

      -- Creates the partition of the UTC month holding \`month\` unless it exists; returns its name when created.
      -- Rows of that month waiting in the default partition move into it (the default is detached meanwhile, as a
      -- new partition may not overlap rows the default holds). Moving rows inside usage_records leaves the rollups
      -- alone: they are statement triggers of the parent, which statements on a partition do not fire.
      -- Safe to call from several sessions at once: callers take turns on the maintenance advisory lock.
      create function usage_records_ensure_partition(month timestamptz) returns text language plpgsql as $fn$
      declare
        lo_utc timestamp := date_trunc('month', month at time zone 'UTC');
        lo timestamptz := lo_utc at time zone 'UTC';
        hi timestamptz := (lo_utc + interval '1 month') at time zone 'UTC';
        part text := 'usage_records_' || to_char(lo_utc, '"y"YYYY"m"MM');
      begin
        perform pg_advisory_xact_lock(${lifecycleLockKey});
        if to_regclass(format('%I', part)) is not null then
          return null;
        end if;
        if exists (select 1 from usage_records_default where ts >= lo and ts < hi) then
          alter table usage_records detach partition usage_records_default;
          execute format('create table %I partition of usage_records for values from (%L) to (%L)', part, lo, hi);
          execute format('insert into %I overriding system value select * from usage_records_default
                           where ts >= %L and ts < %L', part, lo, hi);
          delete from usage_records_default where ts >= lo and ts < hi;
          alter table usage_records attach partition usage_records_default default;
        else
          execute format('create table %I partition of usage_records for values from (%L) to (%L)', part, lo, hi);
        end if;
        return part;
      end
      $fn$;

      -- A partition for every month already holding records (up to two months ahead; later ones stay in the
      -- default partition) and for this month and the next two.
      select usage_records_ensure_partition(m)
        from (select distinct date_trunc('month', ts, 'UTC') as m from usage_records_unpartitioned
              union select date_trunc('month', now(), 'UTC') + make_interval(months => k) from generate_series(0, 2) k) months
       where m < date_trunc('month', now(), 'UTC') + interval '3 months'
       order by m;

      insert into usage_request_ids (request_id, ts) select request_id, ts from usage_records_unpartitioned;
      -- Before the triggers exist: these rows are in the rollups already.
      insert into usage_records (${columns}) overriding system value
        select ${columns} from usage_records_unpartitioned;
      select setval(pg_get_serial_sequence('usage_records', 'id'), coalesce(max(id), 0) + 1, false) from usage_records;
      ${rollupTriggers('usage_records')}

      drop table usage_records_unpartitioned;
    `);
  }

  override down(): void {
    this.addSql(`
      alter table usage_records rename to usage_records_partitioned;
      alter table usage_records_partitioned rename constraint usage_records_pkey to usage_records_partitioned_pkey;
      alter index usage_records_org_ts_idx rename to usage_records_partitioned_org_ts_idx;
      alter sequence usage_records_id_seq rename to usage_records_partitioned_id_seq;

      create table usage_records (
        id bigint generated always as identity primary key,${columnDefs.replace('request_id text not null', 'request_id text not null unique')}
      );
      create index usage_records_org_ts_idx on usage_records (org_id, ts);
      insert into usage_records (${columns}) overriding system value
        select ${columns} from usage_records_partitioned;
      select setval(pg_get_serial_sequence('usage_records', 'id'), coalesce(max(id), 0) + 1, false) from usage_records;
      ${rollupTriggers('usage_records')}

      drop table usage_records_partitioned;
      drop function usage_records_ensure_partition(timestamptz);
      drop table usage_lifecycle, usage_request_ids;
    `);
  }
}
