// Budgets and rate limits: what is set per scope (scope_limits, pushed to data planes as the snapshot kind `limits`),
// the org's time zone and fail-open choice, the platform's budget basis, and the lease ledger the control plane
// grants budget slices from (PROTOCOL.md, "Budgets and rate limits"). A limit never outlives its scope: triggers
// delete it when its team, user or key is deleted or revoked, its module is disabled for the org, or its org deleted.
import { Migration } from '@mikro-orm/migrations';

const orgCaptureColumns = (withFailOpen: boolean) =>
  ['name', 'status', ...(withFailOpen ? ['budget_fail_open'] : [])]
    .map((c) => `old.${c} is distinct from new.${c}`)
    .join(' or ');

/** The update trigger of the organizations capture (Migration20261208000000_config_changes), with its columns. */
const orgUpdateCapture = (withFailOpen: boolean) => `
  drop trigger if exists organizations_config_capture_upd on organizations;
  create trigger organizations_config_capture_upd after update on organizations for each row
    when (((old.deleted_at is null) or (new.deleted_at is null)) and (old.id is distinct from new.id or
          ${orgCaptureColumns(withFailOpen)} or (old.deleted_at is null) is distinct from (new.deleted_at is null)))
    execute function config_capture('orgs', 'id');
`;

const limitColumns = [
  'org_id',
  'scope_kind',
  'scope_id',
  'budget_daily',
  'budget_weekly',
  'budget_monthly',
  'budget_total',
  'rpm',
  'tpm',
];

export class Migration20261220000000_limits extends Migration {
  override up(): void {
    this.addSql(`
      alter table organizations
        add column time_zone text not null default 'UTC',
        add column budget_fail_open boolean not null default false;
      ${orgUpdateCapture(true)}

      -- The platform's budget basis lives on the platform default row of billing_settings (org rows leave it null;
      -- null on the platform row reads as provider_cost).
      alter table billing_settings add column budget_basis text
        check (budget_basis in ('provider_cost', 'billed_cost'));
      update billing_settings set budget_basis = 'provider_cost' where org_id is null;
      alter table billing_settings add constraint billing_settings_budget_basis_platform_check
        check (org_id is null or budget_basis is null);

      -- Budgets in USD (at most 9 decimals, as the ledger counts whole nano-dollars) and rates per scope.
      create table scope_limits (
        id uuid primary key,
        org_id uuid not null references organizations (id) on delete cascade,
        scope_kind text not null check (scope_kind in ('org', 'team', 'user', 'key', 'module')),
        scope_id text not null,
        budget_daily numeric(20, 9) check (budget_daily > 0),
        budget_weekly numeric(20, 9) check (budget_weekly > 0),
        budget_monthly numeric(20, 9) check (budget_monthly > 0),
        budget_total numeric(20, 9) check (budget_total > 0),
        rpm int check (rpm > 0),
        tpm int check (tpm > 0),
        alert_thresholds int[] not null default '{50,80,100}',
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        constraint scope_limits_scope_unique unique (org_id, scope_kind, scope_id),
        constraint scope_limits_org_scope_check check (scope_kind <> 'org' or scope_id = org_id::text),
        constraint scope_limits_something_check
          check (num_nonnulls(budget_daily, budget_weekly, budget_monthly, budget_total, rpm, tpm) > 0)
      );
      create index scope_limits_scope_idx on scope_limits (scope_kind, scope_id);

      -- Per budget, period and data-plane boot: what the control plane granted it (cumulative), what it gave back
      -- for good, and what its ingested usage recorded. Whole nano-dollars. last_seen: its last lease call for this
      -- row (null: only ingested usage touched it).
      create table budget_ledger (
        limit_id uuid not null references scope_limits (id) on delete cascade,
        period text not null check (period in ('daily', 'weekly', 'monthly', 'total')),
        period_start timestamptz not null,
        node_id text not null,
        boot_id text not null,
        granted bigint not null default 0,
        returned bigint not null default 0,
        spent bigint not null default 0,
        last_seen timestamptz,
        primary key (limit_id, period, period_start, node_id, boot_id)
      );

      -- Data planes alive for lease purposes (a lease call, even without asks, is a heartbeat).
      create table lease_heartbeats (
        node_id text not null,
        boot_id text not null,
        last_seen timestamptz not null,
        primary key (node_id, boot_id)
      );

      -- Manual resets: each subtracts what the period had spent until then (spent_at_reset, nano-dollars).
      create table budget_resets (
        id bigint generated always as identity primary key,
        limit_id uuid not null references scope_limits (id) on delete cascade,
        period text not null check (period in ('daily', 'weekly', 'monthly', 'total')),
        period_start timestamptz not null,
        reset_at timestamptz not null default now(),
        reset_by text not null,
        spent_at_reset bigint not null
      );
      create index budget_resets_limit_idx on budget_resets (limit_id, period, period_start);

      -- Usage served without a lease covering it (a fail-open org while budgets could not be checked).
      alter table usage_records add column budget_unchecked boolean not null default false;

      -- A limit never outlives its scope, whichever code path deletes, revokes or disables it.
      create function scope_limits_drop() returns trigger language plpgsql as $fn$
      begin
        case tg_argv[0]
          when 'org' then delete from scope_limits where org_id = old.id;
          when 'module' then delete from scope_limits where scope_kind = 'module' and scope_id = old.id::text;
          when 'org_module' then
            delete from scope_limits where org_id = old.org_id and scope_kind = 'module' and scope_id = old.module_id::text;
          else delete from scope_limits where scope_kind = tg_argv[0] and scope_id = old.id::text;
        end case;
        return null;
      end
      $fn$;
      create trigger organizations_limits_drop after update on organizations for each row
        when (old.deleted_at is null and new.deleted_at is not null) execute function scope_limits_drop('org');
      create trigger teams_limits_drop after update on teams for each row
        when (old.deleted_at is null and new.deleted_at is not null) execute function scope_limits_drop('team');
      create trigger teams_limits_drop_del after delete on teams for each row execute function scope_limits_drop('team');
      create trigger users_limits_drop after update on users for each row
        when (old.deleted_at is null and new.deleted_at is not null) execute function scope_limits_drop('user');
      create trigger users_limits_drop_del after delete on users for each row execute function scope_limits_drop('user');
      create trigger virtual_keys_limits_drop after update on virtual_keys for each row
        when (old.revoked_at is null and new.revoked_at is not null) execute function scope_limits_drop('key');
      create trigger virtual_keys_limits_drop_del after delete on virtual_keys for each row
        execute function scope_limits_drop('key');
      create trigger product_modules_limits_drop after update on product_modules for each row
        when (old.deleted_at is null and new.deleted_at is not null) execute function scope_limits_drop('module');
      create trigger org_modules_limits_drop after delete on org_modules for each row
        execute function scope_limits_drop('org_module');
      create trigger org_modules_limits_drop_upd after update on org_modules for each row
        when (old.org_id is distinct from new.org_id or old.module_id is distinct from new.module_id)
        execute function scope_limits_drop('org_module');

      -- Change capture (Migration20261208000000_config_changes): each row is one resource of kind 'limits'.
      create trigger scope_limits_config_capture_ins after insert on scope_limits for each row
        execute function config_capture('limits', 'id');
      create trigger scope_limits_config_capture_del after delete on scope_limits for each row
        execute function config_capture('limits', 'id');
      create trigger scope_limits_config_capture_upd after update on scope_limits for each row
        when (old.id is distinct from new.id or ${limitColumns.map((c) => `old.${c} is distinct from new.${c}`).join(' or ')})
        execute function config_capture('limits', 'id');
    `);
  }

  override down(): void {
    this.addSql(`
      drop trigger if exists organizations_limits_drop on organizations;
      drop trigger if exists teams_limits_drop on teams;
      drop trigger if exists teams_limits_drop_del on teams;
      drop trigger if exists users_limits_drop on users;
      drop trigger if exists users_limits_drop_del on users;
      drop trigger if exists virtual_keys_limits_drop on virtual_keys;
      drop trigger if exists virtual_keys_limits_drop_del on virtual_keys;
      drop trigger if exists product_modules_limits_drop on product_modules;
      drop trigger if exists org_modules_limits_drop on org_modules;
      drop trigger if exists org_modules_limits_drop_upd on org_modules;
      drop function if exists scope_limits_drop();
      drop table if exists budget_resets, lease_heartbeats, budget_ledger, scope_limits;
      alter table usage_records drop column if exists budget_unchecked;
      alter table billing_settings drop constraint if exists billing_settings_budget_basis_platform_check;
      alter table billing_settings drop column if exists budget_basis;
      ${orgUpdateCapture(false)}
      alter table organizations drop column if exists time_zone, drop column if exists budget_fail_open;
    `);
  }
}
