// Initial schema: tenants, keys, credentials, models, admin auth, config version, data-plane nodes and usage.
import { Migration } from '@mikro-orm/migrations';

export class Migration20251124000000_init extends Migration {
  override up(): void {
    this.addSql(`
      create table organizations (
        id uuid primary key,
        name text not null,
        slug text not null unique,
        status text not null default 'active' check (status in ('active', 'suspended')),
        created_at timestamptz not null default now(),
        deleted_at timestamptz
      );

      create table teams (
        id uuid primary key,
        org_id uuid not null references organizations (id),
        name text not null,
        status text not null default 'active' check (status in ('active', 'suspended')),
        created_at timestamptz not null default now(),
        deleted_at timestamptz
      );
      create unique index teams_org_name_unique on teams (org_id, lower(name)) where deleted_at is null;

      create table users (
        id uuid primary key,
        org_id uuid not null references organizations (id),
        email text not null,
        name text,
        status text not null default 'active' check (status in ('active', 'suspended')),
        created_at timestamptz not null default now(),
        deleted_at timestamptz
      );
      create unique index users_org_email_unique on users (org_id, lower(email)) where deleted_at is null;

      create table user_teams (
        user_id uuid not null references users (id) on delete cascade,
        team_id uuid not null references teams (id) on delete cascade,
        primary key (user_id, team_id)
      );
      create index user_teams_team_idx on user_teams (team_id);

      create table provider_credentials (
        id uuid primary key,
        name text not null unique,
        provider text not null check (provider in ('openai')),
        base_url text not null,
        secret_ciphertext bytea not null,
        secret_iv bytea not null check (length(secret_iv) = 12),
        secret_tag bytea not null check (length(secret_tag) = 16),
        secret_hint text not null,
        created_at timestamptz not null default now()
      );

      create table models (
        id uuid primary key,
        name text not null unique,
        credential_id uuid not null references provider_credentials (id),
        upstream_model text not null,
        input_price_per_mtok numeric(20, 10) not null check (input_price_per_mtok >= 0),
        output_price_per_mtok numeric(20, 10) not null check (output_price_per_mtok >= 0),
        cached_input_price_per_mtok numeric(20, 10) not null check (cached_input_price_per_mtok >= 0),
        created_at timestamptz not null default now()
      );

      create table virtual_keys (
        id uuid primary key,
        org_id uuid not null references organizations (id),
        team_id uuid references teams (id),
        user_id uuid references users (id),
        name text not null,
        prefix text not null,
        key_hash char(64) not null unique,
        allowed_models jsonb,
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz not null default now()
      );
      create index virtual_keys_org_idx on virtual_keys (org_id);

      create table admin_users (
        id uuid primary key,
        email text not null,
        password_hash text not null,
        role text not null default 'platform_admin' check (role in ('platform_admin')),
        created_at timestamptz not null default now()
      );
      create unique index admin_users_email_unique on admin_users (lower(email));

      create table admin_sessions (
        id uuid primary key,
        admin_id uuid not null references admin_users (id) on delete cascade,
        token_hash char(64) not null unique,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null
      );
      create index admin_sessions_expires_idx on admin_sessions (expires_at);

      -- One row, bumped in the same transaction as every config change (see PROTOCOL.md, "The version rule").
      create table config_state (
        id smallint primary key default 1 check (id = 1),
        version bigint not null default 0 check (version >= 0)
      );
      insert into config_state (id, version) values (1, 0);

      create table data_plane_nodes (
        node_id text primary key,
        applied_version bigint,
        applied_hash text,
        source text,
        version text,
        started_at timestamptz,
        last_seen_at timestamptz not null
      );

      -- Usage is history: hierarchy ids are plain text without foreign keys, so records outlive what they name.
      create table usage_records (
        id bigint generated always as identity primary key,
        request_id text not null unique,
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
        received_at timestamptz not null default now()
      );
      create index usage_records_org_ts_idx on usage_records (org_id, ts);
    `);
  }

  override down(): void {
    this.addSql(`
      drop table if exists usage_records, data_plane_nodes, config_state, admin_sessions, admin_users,
        virtual_keys, models, provider_credentials, user_teams, users, teams, organizations;
    `);
  }
}
