// Access control and accountability: scoped admin roles, integrator API tokens, login throttling, the audit log.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261201000000_access extends Migration {
  override up(): void {
    this.addSql(`
      alter table admin_users drop constraint admin_users_role_check;
      alter table admin_users add constraint admin_users_role_check
        check (role in ('platform_admin', 'org_admin', 'org_viewer'));
      alter table admin_users add column org_id uuid references organizations (id);
      alter table admin_users add column name text;
      alter table admin_users add column disabled_at timestamptz;
      -- Platform admins belong to no org; org roles always to exactly one.
      alter table admin_users add constraint admin_users_scope_check
        check ((role = 'platform_admin') = (org_id is null));
      create index admin_users_org_idx on admin_users (org_id);

      create table api_tokens (
        id uuid primary key,
        name text not null,
        prefix text not null,
        token_hash char(64) not null unique,
        role text not null check (role in ('platform_admin', 'org_admin', 'org_viewer')),
        org_id uuid references organizations (id),
        created_by text not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        check ((role = 'platform_admin') = (org_id is null))
      );
      create index api_tokens_org_idx on api_tokens (org_id);

      -- Failed logins, counted per email and per client address over a sliding window (shared by every replica).
      create table login_failures (
        id bigint generated always as identity primary key,
        email_key text not null,
        remote text,
        at timestamptz not null default now()
      );
      create index login_failures_email_idx on login_failures (email_key, at);
      create index login_failures_remote_idx on login_failures (remote, at);

      -- Every mutation, written in the transaction of the change it records. History: no foreign keys.
      create table audit_events (
        id bigint generated always as identity primary key,
        at timestamptz not null default now(),
        actor_kind text not null,
        actor_id text,
        actor_label text not null,
        org_id text,
        action text not null,
        target_type text not null,
        target_id text,
        before jsonb,
        after jsonb
      );
      create index audit_events_org_idx on audit_events (org_id, id);
    `);
  }

  override down(): void {
    this.addSql(`
      drop table if exists audit_events, login_failures, api_tokens;
      alter table admin_users drop constraint admin_users_scope_check;
      alter table admin_users drop column org_id, drop column name, drop column disabled_at;
      alter table admin_users drop constraint admin_users_role_check;
      alter table admin_users add constraint admin_users_role_check check (role in ('platform_admin'));
    `);
  }
}
