// Budgets and ledger rows written straight into the tables, for alert tests (no test-runner imports).
import { randomUUID } from 'node:crypto';
import type { BudgetPeriod } from '@gw/schema';
import type { TestDatabase } from '../../test-support/test-db.ts';
import type { TouchedBudget } from './alert-store.ts';

/**
 * A budget of `usd` per `period` with the given alert thresholds, on `scope` (default: a key of its own, since a scope
 * holds one limit; scope ids are not foreign keys, so a made-up key id will do where no name is wanted).
 */
export async function insertLimit(
  db: TestDatabase,
  orgId: string,
  opts: { period?: BudgetPeriod; usd?: number; thresholds?: number[]; scope?: [string, string] } = {},
): Promise<string> {
  const id = randomUUID();
  const [kind, scopeId] = opts.scope ?? ['key', randomUUID()];
  await db.query(
    `insert into scope_limits (id, org_id, scope_kind, scope_id, budget_${opts.period ?? 'daily'}, alert_thresholds)
     values ($1, $2, $3, $4, $5, $6)`,
    [id, orgId, kind, scopeId, opts.usd ?? 10, opts.thresholds ?? [50, 80, 100]],
  );
  return id;
}

/** Adds `nano` to what one data-plane boot spent on the budget period (as usage ingestion does). */
export async function addSpend(db: TestDatabase, b: TouchedBudget, nano: number, node = 'dp-1'): Promise<void> {
  await db.query(
    `insert into budget_ledger as l (limit_id, period, period_start, node_id, boot_id, spent)
     values ($1, $2, $3, $4, 'boot-0001', $5)
     on conflict (limit_id, period, period_start, node_id, boot_id) do update set spent = l.spent + excluded.spent`,
    [b.limitId, b.period, b.periodStart, node, nano],
  );
}
