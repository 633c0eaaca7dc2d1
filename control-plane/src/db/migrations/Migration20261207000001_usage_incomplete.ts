// Usage records of requests cut short by a data-plane crash, written from its in-flight journal at the next start.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261207000001_usage_incomplete extends Migration {
  override up(): void {
    this.addSql(`
      -- True when the tokens are those known at the crash (the request never finished); see PROTOCOL.md.
      alter table usage_records add column incomplete boolean not null default false;
    `);
  }

  override down(): void {
    this.addSql('alter table usage_records drop column incomplete;');
  }
}
