// Sync protocol v2 per data-plane node: the protocol it speaks, the last message it rejected (NACK), and why the
// control plane refused its subscription (shown on the Fleet page).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261208000100_node_sync_state extends Migration {
  override up(): void {
    this.addSql(`
      -- protocol: from status reports and subscriptions (null: never stated, i.e. protocol 1).
      -- last_rejected: { version, hash, reason, at } as the node reported it; null once a later message applied.
      -- refused_reason: set when configSync refused the node (protocol mismatch), cleared by a successful subscribe.
      alter table data_plane_nodes
        add column protocol integer,
        add column last_rejected jsonb,
        add column refused_reason text,
        add column refused_at timestamptz;
    `);
  }

  override down(): void {
    this.addSql(`
      alter table data_plane_nodes
        drop column protocol, drop column last_rejected, drop column refused_reason, drop column refused_at;
    `);
  }
}
