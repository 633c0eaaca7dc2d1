// Tenancy: the product-module catalogue and its per-org enablements; virtual keys get exactly one owner (a user or
// a team), an optional module binding, an alias, metadata and rotation with a grace period; list indexes.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261202000000_tenancy extends Migration {
  override up(): void {
    this.addSql(`
      create table product_modules (
        id uuid primary key,
        -- Stable: callers name a module by it (x-gateway-module); it never changes once created.
        key text not null,
        name text not null,
        description text,
        status text not null default 'active' check (status in ('active', 'suspended')),
        created_at timestamptz not null default now(),
        deleted_at timestamptz
      );
      create unique index product_modules_key_unique on product_modules (key) where deleted_at is null;
      create index product_modules_created_idx on product_modules (created_at, id);

      -- A module enabled for an org; allowed_models null = every model the org's keys may use.
      create table org_modules (
        id uuid primary key,
        org_id uuid not null references organizations (id),
        module_id uuid not null references product_modules (id),
        allowed_models jsonb,
        created_at timestamptz not null default now(),
        constraint org_modules_org_module_unique unique (org_id, module_id)
      );
      create index org_modules_module_idx on org_modules (module_id);

      alter table virtual_keys
        add column module_id uuid references product_modules (id),
        add column alias text,
        add column metadata jsonb not null default '{}'::jsonb,
        -- The secret replaced by the last rotation, accepted until previous_expires_at (the grace period).
        add column previous_key_hash char(64),
        add column previous_prefix text,
        add column previous_expires_at timestamptz,
        add column rotated_at timestamptz;

      -- Keys used to be allowed without an owner. Every key now has one (a user, or a team): the few ownerless keys
      -- of earlier versions are revoked here, since no owner can be guessed for them.
      update virtual_keys set revoked_at = now() where user_id is null and team_id is null and revoked_at is null;
      -- A user-owned key's team is the team its usage is attributed to, and must be one of the user's teams.
      update virtual_keys k set team_id = null
       where k.user_id is not null and k.team_id is not null
         and not exists (select 1 from user_teams ut where ut.user_id = k.user_id and ut.team_id = k.team_id);
      alter table virtual_keys add constraint virtual_keys_owner_check
        check (user_id is not null or team_id is not null or revoked_at is not null);
      alter table virtual_keys add constraint virtual_keys_previous_check
        check ((previous_key_hash is null) = (previous_expires_at is null));
      alter table virtual_keys add constraint virtual_keys_metadata_check check (jsonb_typeof(metadata) = 'object');

      create unique index virtual_keys_org_alias_unique on virtual_keys (org_id, alias)
        where alias is not null and revoked_at is null;
      create unique index virtual_keys_previous_hash_unique on virtual_keys (previous_key_hash)
        where previous_key_hash is not null;
      create index virtual_keys_org_created_idx on virtual_keys (org_id, created_at, id);
      create index virtual_keys_user_idx on virtual_keys (user_id) where user_id is not null;
      create index virtual_keys_team_idx on virtual_keys (team_id) where team_id is not null;
      create index virtual_keys_module_idx on virtual_keys (module_id) where module_id is not null;
      drop index virtual_keys_org_idx;

      create index organizations_created_idx on organizations (created_at, id);
      create index teams_org_created_idx on teams (org_id, created_at, id);
      create index users_org_created_idx on users (org_id, created_at, id);
    `);
  }

  override down(): void {
    this.addSql(`
      drop index if exists users_org_created_idx, teams_org_created_idx, organizations_created_idx;
      create index virtual_keys_org_idx on virtual_keys (org_id);
      drop index if exists virtual_keys_module_idx, virtual_keys_team_idx, virtual_keys_user_idx,
        virtual_keys_org_created_idx, virtual_keys_previous_hash_unique, virtual_keys_org_alias_unique;
      alter table virtual_keys drop constraint virtual_keys_metadata_check,
        drop constraint virtual_keys_previous_check, drop constraint virtual_keys_owner_check;
      alter table virtual_keys drop column module_id, drop column alias, drop column metadata,
        drop column previous_key_hash, drop column previous_prefix, drop column previous_expires_at,
        drop column rotated_at;
      drop table if exists org_modules, product_modules;
    `);
  }
}
