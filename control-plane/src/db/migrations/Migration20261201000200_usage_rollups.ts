// Usage rollups kept by the database itself: hourly per (org, team, user, key, module, model, provider) and daily per
// (org, model, provider), changed by statement-level triggers in the statement that changes usage_records.
import { Migration } from '@mikro-orm/migrations';

/** The measures every rollup keeps, in column order. */
const measures = 'requests, errors, input_tokens, output_tokens, cached_input_tokens, cost_usd';

/**
 * One rollup's delta from a transition table: `%1$s` is the sign (1 for new rows, -1 for old ones), `%2$I` the
 * transition table. Rows are upserted in key order so that concurrent batches lock shared rollup rows in one order.
 */
function deltaSql(table: string, time: string, dims: string[]): string {
  const keys = ['org_id', time, ...dims];
  const select = ['org_id', `date_trunc('${time}', ts, 'UTC')`, ...dims];
  const positions = keys.map((_, i) => i + 1).join(', ');
  return `
    insert into ${table} as r (${keys.join(', ')}, ${measures})
    select ${select.join(', ')},
           %1$s * count(*), %1$s * count(*) filter (where status >= 400), %1$s * sum(input_tokens),
           %1$s * sum(output_tokens), %1$s * sum(cached_input_tokens), %1$s * sum(cost_usd)
      from %2$I group by ${positions} order by ${positions}
    on conflict (${keys.join(', ')}) do update set
      requests = r.requests + excluded.requests, errors = r.errors + excluded.errors,
      input_tokens = r.input_tokens + excluded.input_tokens, output_tokens = r.output_tokens + excluded.output_tokens,
      cached_input_tokens = r.cached_input_tokens + excluded.cached_input_tokens,
      cost_usd = r.cost_usd + excluded.cost_usd`;
}

const hourlyDims = ['key_id', 'model', 'team_id', 'user_id', 'module_id', 'provider'];
const dailyDims = ['model', 'provider'];

/** PL/pgSQL string literal (dollar quoting cannot nest inside the function body's own dollar quotes). */
const literal = (sql: string) => `'${sql.replaceAll("'", "''")}'`;

export class Migration20261201000200_usage_rollups extends Migration {
  override up(): void {
    this.addSql(`
      -- Sums of usage_records per UTC hour and every hierarchy dimension. Invariant (kept by the triggers below):
      -- each row equals aggregating usage_records over its key, and no row has requests = 0.
      create table usage_hourly (
        org_id text not null,
        hour timestamptz not null,
        key_id text not null,
        model text not null,
        team_id text,
        user_id text,
        module_id text,
        provider text,
        requests bigint not null,
        errors bigint not null,
        input_tokens bigint not null,
        output_tokens bigint not null,
        cached_input_tokens bigint not null,
        cost_usd numeric not null
      );
      -- The upsert key, org first so that one org's window is one index range; the measures are included so that
      -- usage queries are index-only scans (rollup rows of one org are spread over the whole heap).
      create unique index usage_hourly_key on usage_hourly (org_id, hour, ${hourlyDims.join(', ')})
        include (${measures}) nulls not distinct;
      -- Platform-wide windows that need hourly detail.
      create index usage_hourly_hour_idx on usage_hourly (hour);

      -- Sums per UTC day, org, model and provider: platform-wide and per-org totals over whole days read this.
      create table usage_daily_org (
        org_id text not null,
        day timestamptz not null,
        model text not null,
        provider text,
        requests bigint not null,
        errors bigint not null,
        input_tokens bigint not null,
        output_tokens bigint not null,
        cached_input_tokens bigint not null,
        cost_usd numeric not null
      );
      create unique index usage_daily_org_key on usage_daily_org (org_id, day, ${dailyDims.join(', ')})
        include (${measures}) nulls not distinct;
      create index usage_daily_org_day_idx on usage_daily_org (day, org_id) include (${measures});

      -- Applies a statement's rows to both rollups. Transition tables hold only rows the statement really changed:
      -- an INSERT ... ON CONFLICT DO NOTHING that skips a held request_id adds nothing, so ingestion stays idempotent.
      create function usage_rollup_apply() returns trigger language plpgsql as $fn$
      declare
        rel text;
      begin
        foreach rel in array case tg_op when 'INSERT' then array['new_rows'] when 'DELETE' then array['old_rows']
                                        else array['old_rows', 'new_rows'] end loop
          execute format(${literal(deltaSql('usage_hourly', 'hour', hourlyDims))}, case rel when 'new_rows' then 1 else -1 end, rel);
          execute format(${literal(deltaSql('usage_daily_org', 'day', dailyDims))}, case rel when 'new_rows' then 1 else -1 end, rel);
        end loop;
        if tg_op <> 'INSERT' then
          -- Rows that lost all their records go, so that the rollups stay equal to aggregating the raw table.
          delete from usage_hourly u using (select distinct org_id, date_trunc('hour', ts, 'UTC') as hour from old_rows) o
           where u.org_id = o.org_id and u.hour = o.hour and u.requests = 0;
          delete from usage_daily_org u using (select distinct org_id, date_trunc('day', ts, 'UTC') as day from old_rows) o
           where u.org_id = o.org_id and u.day = o.day and u.requests = 0;
        end if;
        return null;
      end
      $fn$;

      create function usage_rollup_truncate() returns trigger language plpgsql as $fn$
      begin
        truncate usage_hourly, usage_daily_org;
        return null;
      end
      $fn$;

      -- Created before the backfill: the trigger's lock keeps other writers out until this migration commits, so
      -- every row is counted exactly once, whether it was there before or arrives afterwards.
      create trigger usage_records_rollup_insert after insert on usage_records
        referencing new table as new_rows for each statement execute function usage_rollup_apply();
      create trigger usage_records_rollup_update after update on usage_records
        referencing old table as old_rows new table as new_rows for each statement execute function usage_rollup_apply();
      create trigger usage_records_rollup_delete after delete on usage_records
        referencing old table as old_rows for each statement execute function usage_rollup_apply();
      create trigger usage_records_rollup_truncate after truncate on usage_records
        for each statement execute function usage_rollup_truncate();

      insert into usage_hourly (org_id, hour, ${hourlyDims.join(', ')}, ${measures})
      select org_id, date_trunc('hour', ts, 'UTC'), ${hourlyDims.join(', ')},
             count(*), count(*) filter (where status >= 400), sum(input_tokens), sum(output_tokens),
             sum(cached_input_tokens), sum(cost_usd)
        from usage_records group by 1, 2, 3, 4, 5, 6, 7, 8;
      insert into usage_daily_org (org_id, day, ${dailyDims.join(', ')}, ${measures})
      select org_id, date_trunc('day', hour, 'UTC'), ${dailyDims.join(', ')},
             sum(requests), sum(errors), sum(input_tokens), sum(output_tokens), sum(cached_input_tokens), sum(cost_usd)
        from usage_hourly group by 1, 2, 3, 4;
    `);
  }

  override down(): void {
    this.addSql(`
      drop trigger if exists usage_records_rollup_insert on usage_records;
      drop trigger if exists usage_records_rollup_update on usage_records;
      drop trigger if exists usage_records_rollup_delete on usage_records;
      drop trigger if exists usage_records_rollup_truncate on usage_records;
      drop function if exists usage_rollup_apply(), usage_rollup_truncate();
      drop table if exists usage_hourly, usage_daily_org;
    `);
  }
}
