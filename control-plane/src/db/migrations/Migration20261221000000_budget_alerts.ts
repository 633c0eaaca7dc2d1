// Budget alerts and the webhooks that carry them: alerts raised once per budget, period and threshold (or once per
// org and hour of fail-open service), the org's and the platform's webhook endpoints (signing secret sealed with the
// MASTER_KEY), and the delivery outbox that every control-plane replica works off (modules/webhooks).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261221000000_budget_alerts extends Migration {
  override up(): void {
    this.addSql(`
      -- kind 'threshold': the spend of one budget (limit_id, period, period_start) reached threshold % of its limit.
      --   limit_id is not a foreign key: an alert stays in the history after its budget is removed.
      -- kind 'fail_open': records of the org were served without a budget check during the hour period_start;
      --   unchecked_records counts them (it grows while more of that hour's records arrive).
      -- Amounts are whole nano-dollars, as in the budget ledger.
      create table budget_alerts (
        id uuid primary key default gen_random_uuid(),
        org_id uuid not null references organizations (id) on delete cascade,
        kind text not null check (kind in ('threshold', 'fail_open')),
        limit_id uuid,
        scope_kind text check (scope_kind in ('org', 'team', 'user', 'key', 'module')),
        scope_id text,
        period text check (period in ('daily', 'weekly', 'monthly', 'total')),
        period_start timestamptz not null,
        threshold int check (threshold > 0),
        spent bigint,
        budget_limit bigint,
        unchecked_records bigint,
        raised_at timestamptz not null default now(),
        constraint budget_alerts_shape_check check (
          (kind = 'threshold' and num_nonnulls(limit_id, scope_kind, scope_id, period, threshold, spent, budget_limit) = 7
             and unchecked_records is null)
          or (kind = 'fail_open' and num_nonnulls(limit_id, scope_kind, scope_id, period, threshold, spent, budget_limit) = 0
             and unchecked_records is not null)
        )
      );
      -- Once per budget, period and threshold, whichever replica ingests the usage that crosses it.
      create unique index budget_alerts_threshold_once on budget_alerts (limit_id, period, period_start, threshold)
        where kind = 'threshold';
      -- Once per org and hour of fail-open service.
      create unique index budget_alerts_fail_open_once on budget_alerts (org_id, period_start) where kind = 'fail_open';
      create index budget_alerts_org_idx on budget_alerts (org_id, raised_at desc, id desc);
      create index budget_alerts_raised_idx on budget_alerts (raised_at desc, id desc);

      -- org_id null: the platform's endpoint, which receives the alerts of every org.
      create table webhook_endpoints (
        id uuid primary key default gen_random_uuid(),
        org_id uuid references organizations (id) on delete cascade,
        url text not null,
        description text,
        enabled boolean not null default true,
        secret_ciphertext bytea not null,
        secret_iv bytea not null,
        secret_tag bytea not null,
        secret_hint text not null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        secret_rotated_at timestamptz
      );
      create index webhook_endpoints_org_idx on webhook_endpoints (org_id, created_at, id);

      -- The outbox: one row per alert and endpoint, written in the transaction that raises the alert. A replica
      -- claims a due row by moving next_attempt_at past its attempt's timeout (FOR UPDATE SKIP LOCKED), posts, then
      -- records the outcome; a replica that dies mid-attempt leaves the row due again once that lease has passed.
      create table webhook_deliveries (
        id uuid primary key default gen_random_uuid(),
        endpoint_id uuid not null references webhook_endpoints (id) on delete cascade,
        alert_id uuid not null references budget_alerts (id) on delete cascade,
        payload jsonb not null,
        attempt int not null default 0,
        status text not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
        next_attempt_at timestamptz not null default now(),
        last_attempt_at timestamptz,
        last_status int,
        last_error text,
        delivered_at timestamptz,
        created_at timestamptz not null default now(),
        constraint webhook_deliveries_once unique (endpoint_id, alert_id)
      );
      create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where status = 'pending';
      create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc, id desc);
    `);
  }

  override down(): void {
    this.addSql('drop table if exists webhook_deliveries, webhook_endpoints, budget_alerts;');
  }
}
