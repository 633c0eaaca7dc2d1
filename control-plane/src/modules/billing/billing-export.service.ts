// The billing export of one org and period: usage per (team, user, key, module, model) from the hourly rollup, the
// org's markup or discount applied and converted to its currency, as CSV lines plus a total line.
import type { Context } from '../../context.ts';
import { badInput } from '../../errors.ts';
import { checkWindow, maxWindowDays, requireUsageOrg } from '../usage/usage-args.ts';
import { aggregateSql } from '../usage/usage-query.ts';
import { lastCompletePeriod, namedPeriod, type Period } from './billing-period.ts';
import { BillingSettingsService, type EffectiveSettings } from './billing-settings.service.ts';
import { type Cell, toCsv } from './csv.ts';
import { minorUnits } from './currency.ts';

export interface ExportRequest {
  orgId: string;
  /** `YYYY-MM`: the period starting on the org's anchor day of that month. */
  period?: string | null;
  from?: Date | null;
  to?: Date | null;
}

export interface BillingExportResult {
  orgId: string;
  period: Period;
  settings: EffectiveSettings;
  lineCount: number;
  totalProviderCostUsd: string;
  totalBilledAmount: string;
  filename: string;
  csv: string;
}

/** The CSV columns, in order (docs/api-guide.md describes each). */
export const exportColumns = [
  'record_type',
  'org_id',
  'period_start',
  'period_end',
  'team_id',
  'team_name',
  'user_id',
  'user_email',
  'key_id',
  'key_name',
  'module_id',
  'model',
  'requests',
  'input_tokens',
  'cached_input_tokens',
  'output_tokens',
  'provider_cost_usd',
  'markup_percent',
  'exchange_rate',
  'currency',
  'billed_amount',
] as const;

const textColumns = new Set(
  ['team_name', 'user_email', 'key_name', 'module_id', 'model'].map((c) => exportColumns.indexOf(c as never)),
);

interface Line {
  team_id: string | null;
  team_name: string | null;
  user_id: string | null;
  user_email: string | null;
  key_id: string;
  key_name: string | null;
  module_id: string | null;
  model: string;
  requests: string;
  input_tokens: string;
  cached_input_tokens: string;
  output_tokens: string;
  cost_usd: string;
  billed: string;
}

type Total = Omit<
  Line,
  'team_id' | 'team_name' | 'user_id' | 'user_email' | 'key_id' | 'key_name' | 'module_id' | 'model'
>;

function resolvePeriod(req: ExportRequest, anchorDay: number, now: Date): Period {
  const explicit = Boolean(req.from) || Boolean(req.to);
  if (req.period && explicit) throw badInput('period', 'Give either period or from and to, not both');
  if (explicit) {
    if (!req.from) throw badInput('from', 'from is required with to');
    if (!req.to) throw badInput('to', 'to is required with from');
    checkWindow(req.from, req.to, maxWindowDays.day);
    return { from: req.from, to: req.to, label: null };
  }
  if (req.period !== null && req.period !== undefined) return namedPeriod(req.period, anchorDay);
  return lastCompletePeriod(now, anchorDay);
}

const iso = (d: Date) => d.toISOString().replace('.000Z', 'Z');

/** Builds the export; the caller's scope is checked before (operation `Query.billingExport`, access/operations.ts). */
export async function exportUsage(ctx: Context, req: ExportRequest, now = new Date()): Promise<BillingExportResult> {
  await requireUsageOrg(ctx.em, req.orgId);
  const em = ctx.em;
  const settings = await new BillingSettingsService(em).forOrg(req.orgId);
  const period = resolvePeriod(req, settings.periodAnchorDay, now);
  const agg = aggregateSql(
    { orgId: req.orgId, from: period.from, to: period.to, filter: {} },
    ['team', 'user', 'key', 'module', 'model'],
    null,
  );
  if (!agg) throw badInput('to', 'to must be after from');
  const minor = minorUnits(settings.currency);
  // Each line is rounded to the currency's minor unit (half away from zero); the total adds the rounded lines, so
  // the file always adds up. Numbers stay numeric in SQL and arrive as text: nothing passes through a float.
  const [result] = await em.execute<{ org: { slug: string }; lines: Line[] | null; total: Total }[]>(
    `with lines as (${agg.text}),
     priced as (
       select l.*, round(l.cost_usd * (100 + ?::numeric) * 0.01 * ?::numeric, ?::int) as billed from lines l
     )
     select (select json_build_object('slug', slug) from organizations where id = ?::uuid) as org,
       (select json_agg(x order by coalesce(x.team_id, '') collate "C", coalesce(x.user_id, '') collate "C",
                        x.key_id collate "C", coalesce(x.module_id, '') collate "C", x.model collate "C")
          from (select p.team_id, t.name as team_name, p.user_id, u.email as user_email, p.key_id, k.name as key_name,
                       p.module_id, p.model, p.requests::text as requests, p.input_tokens::text as input_tokens,
                       p.cached_input_tokens::text as cached_input_tokens, p.output_tokens::text as output_tokens,
                       round(p.cost_usd, 10)::text as cost_usd, p.billed::text as billed
                  from priced p
                  left join teams t on t.org_id = ?::uuid and t.id::text = p.team_id
                  left join users u on u.org_id = ?::uuid and u.id::text = p.user_id
                  left join virtual_keys k on k.org_id = ?::uuid and k.id::text = p.key_id) x) as lines,
       (select json_build_object(
          'requests', coalesce(sum(requests), 0)::text, 'input_tokens', coalesce(sum(input_tokens), 0)::text,
          'cached_input_tokens', coalesce(sum(cached_input_tokens), 0)::text,
          'output_tokens', coalesce(sum(output_tokens), 0)::text,
          'cost_usd', round(coalesce(sum(cost_usd), 0), 10)::text, 'billed', round(coalesce(sum(billed), 0), ?::int)::text)
          from priced) as total`,
    [
      ...agg.params,
      settings.markupPercent,
      settings.exchangeRate,
      minor,
      req.orgId,
      req.orgId,
      req.orgId,
      req.orgId,
      minor,
    ],
  );
  const lines = result.lines ?? [];
  const common = [req.orgId, iso(period.from), iso(period.to)];
  const pricing = [settings.markupPercent, settings.exchangeRate, settings.currency];
  const rows: Cell[][] = lines.map((l) => [
    'line',
    ...common,
    l.team_id,
    l.team_name,
    l.user_id,
    l.user_email,
    l.key_id,
    l.key_name,
    l.module_id,
    l.model,
    l.requests,
    l.input_tokens,
    l.cached_input_tokens,
    l.output_tokens,
    l.cost_usd,
    ...pricing,
    l.billed,
  ]);
  const t = result.total;
  rows.push([
    'total',
    ...common,
    ...Array<Cell>(8).fill(null),
    t.requests,
    t.input_tokens,
    t.cached_input_tokens,
    t.output_tokens,
    t.cost_usd,
    ...pricing,
    t.billed,
  ]);
  const name = period.label ?? `${iso(period.from)}_${iso(period.to)}`.replaceAll(':', '');
  return {
    orgId: req.orgId,
    period,
    settings,
    lineCount: lines.length,
    totalProviderCostUsd: t.cost_usd,
    totalBilledAmount: t.billed,
    filename: `usage-${result.org.slug}-${name}.csv`,
    csv: toCsv(exportColumns, rows, textColumns),
  };
}
