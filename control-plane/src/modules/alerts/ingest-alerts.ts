// What usage ingestion hands to alerting once its transaction has committed (alert-store.ts says why after): the
// budget periods whose ledger it moved, and the stored records that were served without a budget check.
import type { BudgetPeriod, UsageRecord } from '@gw/schema';
import type { Em } from '../../db/orm.ts';
import type { Logger } from '../../logger.ts';
import { AlertStore, type TouchedBudget } from './alert-store.ts';

/** What one stored batch may have moved. */
export interface IngestedForAlerts {
  /** Ledger increments the batch made (one per budget, period, node and boot). */
  increments: readonly { limitId: string; period: string; periodStart: Date }[];
  /** The records stored by this batch (duplicates of earlier batches left out). */
  inserted: readonly UsageRecord[];
}

export const nothingIngested: IngestedForAlerts = { increments: [], inserted: [] };

/** Distinct budget periods among the increments. */
export function touchedBudgets(increments: IngestedForAlerts['increments']): TouchedBudget[] {
  const seen = new Map<string, TouchedBudget>();
  for (const i of increments) {
    const periodStart = i.periodStart.toISOString();
    seen.set(`${i.limitId} ${i.period} ${periodStart}`, {
      limitId: i.limitId,
      period: i.period as BudgetPeriod,
      periodStart,
    });
  }
  return [...seen.values()];
}

/**
 * Raises the alerts of a committed batch. Never throws: the records are stored already, and a data plane retrying
 * the batch would find them all duplicates. A threshold missed here is raised by the next batch touching its budget.
 */
export async function raiseIngestAlerts(em: Em, batch: IngestedForAlerts, logger?: Logger): Promise<void> {
  const unchecked = batch.inserted
    .filter((r) => r.budgetUnchecked)
    .map((r) => ({ orgId: r.orgId, at: r.ts, records: 1 }));
  const touched = touchedBudgets(batch.increments);
  if (!unchecked.length && !touched.length) return;
  const store = new AlertStore(em.fork());
  try {
    const raised = [...(await store.checkThresholds(touched)), ...(await store.recordUnchecked(unchecked))];
    if (raised.length) logger?.info({ alerts: raised.map((a) => a.id) }, 'budget alerts raised');
  } catch (err) {
    logger?.warn({ err: (err as Error).message }, 'budget alerts of an ingested batch could not be raised');
  }
}
