// Usage records name the product module they are attributed to (null when none).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261201000001_usage_module extends Migration {
  override up(): void {
    this.addSql('alter table usage_records add column module_id text;');
  }

  override down(): void {
    this.addSql('alter table usage_records drop column module_id;');
  }
}
