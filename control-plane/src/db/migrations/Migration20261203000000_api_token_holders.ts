// API tokens rest on the standing of an admin: the one who created them, or the holder of the token that minted them.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261203000000_api_token_holders extends Migration {
  override up(): void {
    this.addSql(`
      -- null for tokens made with ADMIN_TOKEN (or minted by one). No foreign key on purpose: a holder that is
      -- gone must make the token refuse, never leave it standing on its own.
      alter table api_tokens add column holder_admin_id uuid;
      create index api_tokens_holder_idx on api_tokens (holder_admin_id);

      -- Earlier tokens: the holder from the audit event written in the same transaction as each token; a token
      -- minted by a token takes that token's holder, however long the chain.
      with recursive made as (
        select t.id, e.actor_kind, e.actor_id
          from api_tokens t
          join audit_events e on e.action = 'apiToken.create' and e.target_type = 'apiToken' and e.target_id = t.id::text
      ), held as (
        select id, actor_id::uuid as admin_id from made where actor_kind = 'admin_user'
        union all
        select m.id, h.admin_id from made m join held h on m.actor_kind = 'api_token' and m.actor_id = h.id::text
      )
      update api_tokens t set holder_admin_id = held.admin_id from held where held.id = t.id;

      -- Tokens of admins deleted before this version are revoked, as deleting an admin does from now on.
      update api_tokens t set revoked_at = now()
       where t.revoked_at is null and t.holder_admin_id is not null
         and not exists (select 1 from admin_users a where a.id = t.holder_admin_id);
    `);
  }

  override down(): void {
    this.addSql('alter table api_tokens drop column holder_admin_id;');
  }
}
