// Usage delivery per data-plane node, as its status reports tell: backlog and dead letters (shown on the Fleet page).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261207000000_node_usage extends Migration {
  override up(): void {
    this.addSql(`
      -- Null until the node reports them (data planes older than the dead-letter file never do).
      alter table data_plane_nodes
        add column usage_backlog bigint,
        add column usage_dead_letter_records bigint,
        add column usage_last_dead_letter_at timestamptz;
    `);
  }

  override down(): void {
    this.addSql(`
      alter table data_plane_nodes
        drop column usage_backlog, drop column usage_dead_letter_records, drop column usage_last_dead_letter_at;
    `);
  }
}
