// One alert as admins and webhooks see it: its row with the names of its org and scope, the sentence that says what
// happened, and the JSON body a webhook receives (docs/webhooks.md). The message is written here only.

import type { BudgetPeriod as Period, LimitScope as Scope } from '@gw/schema';
import { nanoPerUsd } from '@gw/schema';
import type { BudgetPeriod, LimitScope } from '../limits/limits.type.ts';
import { BudgetAlert, BudgetAlertKind } from './alert.type.ts';

export interface AlertRow {
  id: string;
  org_id: string;
  org_name: string;
  kind: 'threshold' | 'fail_open';
  limit_id: string | null;
  scope_kind: Scope | null;
  scope_id: string | null;
  scope_name: string | null;
  period: Period | null;
  period_start: Date | string;
  threshold: number | null;
  spent: string | null;
  budget_limit: string | null;
  unchecked_records: string | null;
  raised_at: Date | string;
}

const uuidText = "'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'";

/** The name of an alert's scope (alias `a`), null when it is gone; ids that are not uuids name nothing. */
const scopeNameSql = `case when a.scope_id ~ ${uuidText} then case a.scope_kind
    when 'org' then (select name from organizations where id = a.scope_id::uuid)
    when 'team' then (select name from teams where id = a.scope_id::uuid)
    when 'user' then (select coalesce(name, email) from users where id = a.scope_id::uuid)
    when 'key' then (select name from virtual_keys where id = a.scope_id::uuid)
    when 'module' then (select name from product_modules where id = a.scope_id::uuid)
  end end`;

/** FROM clause and columns that read AlertRows (alias `a`). */
export const alertFrom = 'budget_alerts a join organizations o on o.id = a.org_id';
export const alertColumns = `a.id, a.org_id, o.name as org_name, a.kind, a.limit_id, a.scope_kind, a.scope_id,
  ${scopeNameSql} as scope_name, a.period, a.period_start, a.threshold, a.spent::text as spent,
  a.budget_limit::text as budget_limit, a.unchecked_records::text as unchecked_records, a.raised_at`;

/** Whole nano-dollars as a USD decimal string: at least 2 decimals, at most 9, no trailing zeros beyond 2. */
export function usdOfNano(nano: string | number | bigint): string {
  const n = BigInt(nano);
  const unit = BigInt(nanoPerUsd);
  const sign = n < 0n ? '-' : '';
  const abs = n < 0n ? -n : n;
  const fraction = (abs % unit).toString().padStart(9, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${sign}${abs / unit}.${fraction}`;
}

const scopeWords: Record<Scope, string> = {
  org: 'Organization',
  team: 'Team',
  user: 'User',
  key: 'Key',
  module: 'Module',
};

function scopeLabel(r: AlertRow): string {
  const kind = r.scope_kind ? scopeWords[r.scope_kind] : 'Budget';
  return r.scope_name ? `${kind} "${r.scope_name}"` : `${kind} ${r.scope_id}`;
}

export function alertMessage(r: AlertRow): string {
  const start = new Date(r.period_start).toISOString();
  if (r.kind === 'fail_open') {
    const n = Number(r.unchecked_records ?? 0);
    return (
      `${n} request${n === 1 ? '' : 's'} of "${r.org_name}" served without a budget check (fail-open: budgets ` +
      `could not be checked) in the hour from ${start}; their cost was counted against budgets afterwards.`
    );
  }
  const period = r.period === 'total' ? 'total' : r.period;
  const since = r.period === 'total' ? '' : ` (period from ${start})`;
  return (
    `${scopeLabel(r)}: ${period} budget reached ${r.threshold}% - $${usdOfNano(r.spent ?? 0)} of ` +
    `$${usdOfNano(r.budget_limit ?? 0)} spent${since}.`
  );
}

export function toBudgetAlert(r: AlertRow): BudgetAlert {
  const threshold = r.kind === 'threshold';
  return Object.assign(new BudgetAlert(), {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    kind: threshold ? BudgetAlertKind.THRESHOLD : BudgetAlertKind.FAIL_OPEN,
    scope: r.scope_kind as LimitScope | null,
    scopeId: r.scope_id,
    scopeName: r.scope_name,
    limitId: r.limit_id,
    period: r.period as BudgetPeriod | null,
    periodStart: new Date(r.period_start),
    threshold: r.threshold,
    spentUsd: r.spent === null ? null : usdOfNano(r.spent),
    limitUsd: r.budget_limit === null ? null : usdOfNano(r.budget_limit),
    uncheckedRecords: r.unchecked_records === null ? null : Number(r.unchecked_records),
    message: alertMessage(r),
    raisedAt: new Date(r.raised_at),
  });
}

/** The JSON body of a webhook delivery (docs/webhooks.md, "Payload"). */
export function webhookPayload(r: AlertRow) {
  const a = toBudgetAlert(r);
  return {
    type: 'budget_alert.raised',
    alert: {
      id: a.id,
      orgId: a.orgId,
      orgName: a.orgName,
      kind: r.kind,
      scope: a.scope,
      scopeId: a.scopeId,
      scopeName: a.scopeName,
      limitId: a.limitId,
      period: a.period,
      periodStart: a.periodStart?.toISOString() ?? null,
      threshold: a.threshold,
      spentUsd: a.spentUsd,
      limitUsd: a.limitUsd,
      uncheckedRecords: a.uncheckedRecords,
      message: a.message,
      raisedAt: a.raisedAt.toISOString(),
    },
  };
}
