// The commit trigger of config change capture runs once per logged row: after the first run of a transaction has
// stamped every row, the others return at once (a transaction-local setting), instead of probing the pending index,
// whose dead entries made a bulk change of n rows cost O(n^2).
import { Migration } from '@mikro-orm/migrations';

const commitFunction = (fastPath: boolean) => `
  create or replace function config_changes_commit() returns trigger language plpgsql as $fn$
  declare
    v bigint;
    keep constant bigint := 10000;
  begin
    ${fastPath ? "if current_setting('gw.config_stamped', true) = txid_current()::text then return null; end if;" : ''}
    if not exists (select 1 from config_changes where txid = txid_current() and version is null) then
      return null;
    end if;
    update config_state set version = version + 1 where id = 1 returning version into v;
    update config_changes set version = v where txid = txid_current() and version is null;
    ${fastPath ? "perform set_config('gw.config_stamped', txid_current()::text, true);" : ''}
    if v % 1000 = 0 and v > keep then
      delete from config_changes where version <= v - keep;
      update config_state set log_from = greatest(log_from, v - keep) where id = 1;
    end if;
    perform pg_notify('gw_config', v::text);
    return null;
  end
  $fn$;
`;

export class Migration20261208000200_config_commit_once extends Migration {
  override up(): void {
    this.addSql(commitFunction(true));
  }

  override down(): void {
    this.addSql(commitFunction(false));
  }
}
