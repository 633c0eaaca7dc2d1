// Billing settings: a platform default (org_id null, always present) and per-org overrides used by the usage export.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261201000201_billing_settings extends Migration {
  override up(): void {
    this.addSql(`
      -- A row replaces the default as a whole: an org with settings of its own no longer follows the default.
      create table billing_settings (
        id bigint generated always as identity primary key,
        org_id uuid references organizations (id),
        -- Applied to provider cost: +20 bills 120%, -10 bills 90%.
        markup_percent numeric(9, 4) not null check (markup_percent between -100 and 1000),
        currency char(3) not null check (currency ~ '^[A-Z]{3}$'),
        -- Units of currency per US dollar.
        exchange_rate numeric(24, 10) not null check (exchange_rate > 0 and (currency <> 'USD' or exchange_rate = 1)),
        -- Day of the month (UTC) on which each monthly billing period starts.
        period_anchor_day smallint not null check (period_anchor_day between 1 and 28),
        updated_at timestamptz not null default now(),
        updated_by text not null
      );
      create unique index billing_settings_org_unique on billing_settings (org_id) nulls not distinct;
      insert into billing_settings (org_id, markup_percent, currency, exchange_rate, period_anchor_day, updated_by)
      values (null, 0, 'USD', 1, 1, 'migration');
    `);
  }

  override down(): void {
    this.addSql('drop table if exists billing_settings;');
  }
}
