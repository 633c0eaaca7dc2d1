// Billing settings: each org's effective settings (its own row, else the platform default), and audited writes.
import type { Principal } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, notFound } from '../../errors.ts';
import { isUuid } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { BillingSettings, type BillingSettingsInput, BillingSettingsSource } from './billing-settings.type.ts';
import { isCurrency } from './currency.ts';

export const markupBounds = { min: -100, max: 1000, decimals: 4 } as const;
export const exchangeRateBounds = { max: 1_000_000, decimals: 10 } as const;

/** The values of a settings row; numerics travel as text so that nothing is rounded on the way. */
export interface SettingsValues {
  markupPercent: string;
  currency: string;
  exchangeRate: string;
  periodAnchorDay: number;
}

export interface EffectiveSettings extends SettingsValues {
  orgId: string | null;
  source: BillingSettingsSource;
  updatedAt: Date;
  updatedBy: string;
}

interface Row {
  org_id: string | null;
  markup_percent: string;
  currency: string;
  exchange_rate: string;
  period_anchor_day: number;
  updated_at: Date;
  updated_by: string;
}

/** Shortest decimal text of a stored numeric ("20.0000" -> "20", "0.9200000000" -> "0.92"). */
const decimal = (v: string) => String(Number(v));

function effective(row: Row, orgId: string | null): EffectiveSettings {
  return {
    orgId,
    source: row.org_id === null ? BillingSettingsSource.PLATFORM_DEFAULT : BillingSettingsSource.ORG,
    markupPercent: decimal(row.markup_percent),
    currency: row.currency,
    exchangeRate: decimal(row.exchange_rate),
    periodAnchorDay: Number(row.period_anchor_day),
    updatedAt: new Date(row.updated_at),
    updatedBy: row.updated_by,
  };
}

export function toGraphQL(s: EffectiveSettings): BillingSettings {
  return Object.assign(new BillingSettings(), {
    ...s,
    markupPercent: Number(s.markupPercent),
    exchangeRate: Number(s.exchangeRate),
  });
}

const values = (s: EffectiveSettings): SettingsValues => ({
  markupPercent: s.markupPercent,
  currency: s.currency,
  exchangeRate: s.exchangeRate,
  periodAnchorDay: s.periodAnchorDay,
});

function decimals(v: number): number {
  const [, fraction = ''] = String(v).split('.');
  return /e/i.test(String(v)) ? Number.POSITIVE_INFINITY : fraction.length;
}

/** The new values: `input` over `current`, each field checked; failures name `input.<field>`. */
export function mergeSettings(current: SettingsValues, input: BillingSettingsInput): SettingsValues {
  const given = Object.entries(input).filter(([, v]) => v !== null && v !== undefined);
  if (!given.length) throw badInput('input', 'Give at least one setting to change');
  const next = { ...current };
  if (input.markupPercent !== null && input.markupPercent !== undefined) {
    const v = input.markupPercent;
    if (!Number.isFinite(v) || v < markupBounds.min || v > markupBounds.max) {
      throw badInput('input.markupPercent', `markupPercent must be from ${markupBounds.min} to ${markupBounds.max}`);
    }
    if (decimals(v) > markupBounds.decimals) {
      throw badInput('input.markupPercent', `markupPercent may have at most ${markupBounds.decimals} decimals`);
    }
    next.markupPercent = String(v);
  }
  if (input.periodAnchorDay !== null && input.periodAnchorDay !== undefined) {
    const v = input.periodAnchorDay;
    if (!Number.isInteger(v) || v < 1 || v > 28) {
      throw badInput('input.periodAnchorDay', 'periodAnchorDay must be a day of the month from 1 to 28');
    }
    next.periodAnchorDay = v;
  }
  if (input.currency !== null && input.currency !== undefined) {
    if (!isCurrency(input.currency)) {
      throw badInput('input.currency', 'currency must be an uppercase ISO 4217 code, e.g. EUR');
    }
    if (input.currency !== current.currency) {
      next.currency = input.currency;
      if (input.currency === 'USD') next.exchangeRate = '1';
      else if (input.exchangeRate === null || input.exchangeRate === undefined) {
        throw badInput('input.exchangeRate', `exchangeRate is required when the currency changes to ${input.currency}`);
      }
    }
  }
  if (input.exchangeRate !== null && input.exchangeRate !== undefined) {
    const v = input.exchangeRate;
    if (!Number.isFinite(v) || v <= 0 || v > exchangeRateBounds.max) {
      throw badInput('input.exchangeRate', `exchangeRate must be greater than 0 and at most ${exchangeRateBounds.max}`);
    }
    if (decimals(v) > exchangeRateBounds.decimals) {
      throw badInput('input.exchangeRate', `exchangeRate may have at most ${exchangeRateBounds.decimals} decimals`);
    }
    if (next.currency === 'USD' && v !== 1) throw badInput('input.exchangeRate', 'exchangeRate must be 1 for USD');
    next.exchangeRate = String(v);
  }
  return next;
}

const selectRow =
  'select org_id, markup_percent::text, currency, exchange_rate::text, period_anchor_day, updated_at, updated_by from billing_settings';

export class BillingSettingsService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** NOT_FOUND unless the org exists; `live` also refuses a deleted one. */
  async requireOrg(orgId: string, live: boolean): Promise<void> {
    const rows = isUuid(orgId)
      ? await this.#em.execute<{ deleted: boolean }[]>(
          'select deleted_at is not null as deleted from organizations where id = ?',
          [orgId],
        )
      : [];
    if (!rows.length || (live && rows[0].deleted)) throw notFound('orgId', 'No organization with this id');
  }

  async platformDefault(em: Em = this.#em): Promise<EffectiveSettings> {
    const [row] = await em.execute<Row[]>(`${selectRow} where org_id is null`);
    return effective(row, null);
  }

  /** The org's own settings, else the platform default (the org must exist). */
  async forOrg(orgId: string, em: Em = this.#em): Promise<EffectiveSettings> {
    const rows = await em.execute<Row[]>(
      `${selectRow} where org_id = ?::uuid or org_id is null order by org_id nulls last`,
      [orgId],
    );
    return effective(rows[0], orgId);
  }

  async setForOrg(actor: Principal, orgId: string, input: BillingSettingsInput): Promise<EffectiveSettings> {
    await this.requireOrg(orgId, true);
    return auditedChange(this.#em, actor, {
      action: 'billingSettings.set',
      ...this.#orgSettings(orgId),
      mutate: async (em, current) => {
        await this.#upsert(em, orgId, mergeSettings(values(current), input), actor);
        return this.forOrg(orgId, em);
      },
      after: (_, after) => values(after),
    });
  }

  /** Drops the org's own settings: it follows the platform default again. Idempotent. */
  async resetForOrg(actor: Principal, orgId: string): Promise<EffectiveSettings> {
    await this.requireOrg(orgId, true);
    return auditedChange(this.#em, actor, {
      action: 'billingSettings.reset',
      ...this.#orgSettings(orgId),
      mutate: async (em) => {
        await em.execute('delete from billing_settings where org_id = ?::uuid', [orgId]);
        return this.forOrg(orgId, em);
      },
      after: () => null,
    });
  }

  async setDefault(actor: Principal, input: BillingSettingsInput): Promise<EffectiveSettings> {
    return auditedChange(this.#em, actor, {
      action: 'billingSettings.setDefault',
      lock: async (em) => {
        const [row] = await em.execute<Row[]>(`${selectRow} where org_id is null for update`);
        return effective(row, null);
      },
      before: (_, current) => values(current),
      mutate: async (em, current) => {
        await this.#upsert(em, null, mergeSettings(values(current), input), actor);
        return this.platformDefault(em);
      },
      after: (_, after) => values(after),
      target: () => ({ type: 'billingSettings', id: null, orgId: null }),
    });
  }

  /** Lock (the org row: concurrent writes of one org's settings apply in turn), before view and target. */
  #orgSettings(orgId: string) {
    return {
      lock: async (em: Em) => {
        await em.execute('select 1 from organizations where id = ? for update', [orgId]);
        return this.forOrg(orgId, em);
      },
      before: (_: Em, current: EffectiveSettings) =>
        current.source === BillingSettingsSource.ORG ? values(current) : null,
      target: () => ({ type: 'billingSettings', id: orgId, orgId }),
    };
  }

  async #upsert(em: Em, orgId: string | null, v: SettingsValues, actor: Principal): Promise<void> {
    await em.execute(
      `insert into billing_settings (org_id, markup_percent, currency, exchange_rate, period_anchor_day, updated_by)
       values (?::uuid, ?::numeric, ?, ?::numeric, ?, ?)
       on conflict (org_id) do update set markup_percent = excluded.markup_percent, currency = excluded.currency,
         exchange_rate = excluded.exchange_rate, period_anchor_day = excluded.period_anchor_day,
         updated_at = now(), updated_by = excluded.updated_by`,
      [orgId, v.markupPercent, v.currency, v.exchangeRate, v.periodAnchorDay, actor.label],
    );
  }
}
