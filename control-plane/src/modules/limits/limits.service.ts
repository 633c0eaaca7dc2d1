// Budgets and rate limits per scope: reads with each budget's status in its current period, audited writes
// (platform admins alone touch ORG scope, see access/operations.ts), manual resets, leases, and the budget basis.
import type { BudgetPeriod } from '@gw/schema';
import type { AdminCaller, Principal } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';
import { notFound } from '../../errors.ts';
import { isUuid } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import {
  availableOf,
  expiredSql,
  expiryBefore,
  type LedgerKey,
  ledgerTotals,
  spentOf,
  totalsAt,
} from './ledger-totals.ts';
import { budgetsOf, type LimitRow, loadLimitRows, valuesOf } from './limit-rows.ts';
import { type LimitValues, parseLimits, valuesView } from './limit-values.ts';
import type { LimitsInput } from './limits.input.ts';
import {
  BudgetBasis,
  BudgetLease,
  type BudgetPeriod as BudgetPeriodEnum,
  BudgetStatus,
  type LimitScope,
  ScopeLimits,
} from './limits.type.ts';
import { requireScope, requireWithinOrgBudgets, type ScopeRef, writeLimits } from './limits-write.ts';
import { nanoToUsd } from './money.ts';
import { periodWindow } from './periods.ts';

/** How long leases last (config: BUDGET_LEASE_TTL_MS, BUDGET_LEASE_RECLAIM_GRACE_MS). */
export interface LeaseTiming {
  ttlMs: number;
  graceMs: number;
}

const scopeTarget = (ref: ScopeRef, id: string | null) => ({ type: 'scopeLimits', id, orgId: ref.orgId });

/** The keys of the current period of every budget of the rows, at `now`. */
function currentKeys(rows: LimitRow[], now: Date): (LedgerKey & { limit: bigint; end: Date | null })[] {
  return rows.flatMap((row) =>
    budgetsOf(row).map(([period, limit]) => {
      const w = periodWindow(period, row.time_zone, now);
      return { limitId: row.id, period, periodStart: w.start, end: w.end, limit };
    }),
  );
}

/** Each row as ScopeLimits, with every budget's status now (two queries whatever the number of rows). */
export async function withStatus(em: Em, rows: LimitRow[], timing: LeaseTiming, now = new Date()) {
  const keys = currentKeys(rows, now);
  const totals = await ledgerTotals(em, keys, expiryBefore(now, timing.ttlMs, timing.graceMs));
  const statuses = new Map<string, BudgetStatus[]>();
  for (const k of keys) {
    const t = totalsAt(totals, k);
    const spent = spentOf(t);
    const list = statuses.get(k.limitId) ?? [];
    list.push(
      Object.assign(new BudgetStatus(), {
        period: k.period as BudgetPeriodEnum,
        limitUsd: nanoToUsd(k.limit),
        spentUsd: nanoToUsd(spent),
        reservedUsd: nanoToUsd(t.reserved),
        remainingUsd: nanoToUsd(availableOf(k.limit, t)),
        // Exact to the ten-thousandth of a percent, whatever the amounts.
        usedPercent: Number((spent * 1_000_000n) / k.limit) / 10_000,
        periodStart: k.periodStart,
        resetsAt: k.end,
      }),
    );
    statuses.set(k.limitId, list);
  }
  return rows.map((row) =>
    Object.assign(new ScopeLimits(), {
      id: row.id,
      orgId: row.org_id,
      scope: row.scope_kind as LimitScope,
      scopeId: row.scope_id,
      scopeName: row.scope_name,
      rpm: row.rpm,
      tpm: row.tpm,
      alertThresholds: row.alert_thresholds,
      budgets: statuses.get(row.id) ?? [],
      updatedAt: new Date(row.updated_at),
    }),
  );
}

export class LimitsService {
  readonly #em: Em;
  readonly #timing: LeaseTiming;

  constructor(em: Em, timing: LeaseTiming) {
    this.#em = em;
    this.#timing = timing;
  }

  async list(orgId: string): Promise<ScopeLimits[]> {
    if (!isUuid(orgId)) return [];
    return withStatus(this.#em, await loadLimitRows(this.#em, 'l.org_id = ?', [orgId]), this.#timing);
  }

  async find(ref: ScopeRef): Promise<ScopeLimits | null> {
    const row = await this.#row(this.#em, ref);
    return row ? (await withStatus(this.#em, [row], this.#timing))[0] : null;
  }

  /** Org-scope budgets at or above `minPercent` used in their current period (platform admins). */
  async nearOrOver(minPercent: number): Promise<ScopeLimits[]> {
    const rows = await loadLimitRows(
      this.#em,
      "l.scope_kind = 'org' and num_nonnulls(l.budget_daily, l.budget_weekly, l.budget_monthly, l.budget_total) > 0",
      [],
    );
    const all = await withStatus(this.#em, rows, this.#timing);
    return all.filter((s) => s.budgets.some((b) => b.usedPercent >= minPercent));
  }

  /** Replaces the scope's limits. An org admin's budgets may not exceed the org's own (`caller` decides). */
  async set(caller: AdminCaller, ref: ScopeRef, input: LimitsInput): Promise<ScopeLimits> {
    const values = parseLimits('input', input);
    await this.#requireOrg(ref.orgId);
    await requireScope(this.#em, ref);
    await auditedChange(this.#em, caller.principal, {
      action: 'limits.set',
      lock: (em) => this.#lockRow(em, ref),
      before: (_, row) => (row ? { scope: ref.scope, scopeId: ref.scopeId, ...valuesView(valuesOf(row)) } : null),
      mutate: async (em) => {
        if (caller.role !== 'platform_admin') await requireWithinOrgBudgets(em, ref, values, 'input');
        return writeLimits(em, ref, values);
      },
      after: () => ({ scope: ref.scope, scopeId: ref.scopeId, ...valuesView(values) }),
      target: (id) => scopeTarget(ref, id),
    });
    return this.#require(ref);
  }

  /** Idempotent: answers whether the scope had limits (the call is audited either way). */
  async remove(actor: Principal, ref: ScopeRef): Promise<boolean> {
    await this.#requireOrg(ref.orgId);
    return auditedChange(this.#em, actor, {
      action: 'limits.remove',
      lock: (em) => this.#lockRow(em, ref),
      before: (_, row) => (row ? { scope: ref.scope, scopeId: ref.scopeId, ...valuesView(valuesOf(row)) } : null),
      mutate: async (em, row) => {
        if (row) await em.execute('delete from scope_limits where id = ?', [row.id]);
        return row !== null;
      },
      target: (_, row) => scopeTarget(ref, row?.id ?? null),
    });
  }

  /**
   * Starts the budget of `period` afresh within its current period: what it spent until now no longer counts
   * (leases held stay held). Recorded in budget_resets.
   */
  async reset(actor: Principal, ref: ScopeRef, period: BudgetPeriod): Promise<ScopeLimits> {
    await this.#requireOrg(ref.orgId);
    const now = new Date();
    await auditedChange(this.#em, actor, {
      action: 'limits.resetPeriod',
      lock: async (em) => {
        const row = await this.#lockRow(em, ref);
        if (!row) throw notFound('scopeId', 'This scope has no limits');
        const budget = budgetsOf(row).find(([p]) => p === period);
        if (!budget) throw notFound('period', `This scope has no ${period} budget`);
        const key = { limitId: row.id, period, periodStart: periodWindow(period, row.time_zone, now).start };
        const totals = await ledgerTotals(em, [key], expiryBefore(now, this.#timing.ttlMs, this.#timing.graceMs));
        return { row, key, spent: spentOf(totalsAt(totals, key)) };
      },
      before: (_, { key, spent }) => ({ period, periodStart: key.periodStart, spentUsd: nanoToUsd(spent) }),
      mutate: async (em, { key, spent }) => {
        await em.execute(
          `insert into budget_resets (limit_id, period, period_start, reset_at, reset_by, spent_at_reset)
           values (?, ?, ?, ?, ?, ?)`,
          [key.limitId, period, key.periodStart, now, actor.label, spent.toString()],
        );
      },
      after: (_, __, { key }) => ({ period, periodStart: key.periodStart, spentUsd: '0' }),
      target: (_, { row }) => scopeTarget(ref, row.id),
    });
    return this.#require(ref);
  }

  /** The leases of the org's budgets in their current periods, per data plane boot. */
  async leases(orgId: string): Promise<BudgetLease[]> {
    if (!isUuid(orgId)) return [];
    const rows = await loadLimitRows(this.#em, 'l.org_id = ?', [orgId]);
    const keys = currentKeys(rows, new Date());
    if (!keys.length) return [];
    const expiry = expiryBefore(new Date(), this.#timing.ttlMs, this.#timing.graceMs);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const leases = await this.#em.execute<
      {
        limit_id: string;
        period: BudgetPeriod;
        period_start: Date;
        node_id: string;
        boot_id: string;
        granted: string;
        returned: string;
        spent: string;
        last_seen: Date;
        expired: boolean;
      }[]
    >(
      `select b.limit_id::text, b.period, b.period_start, b.node_id, b.boot_id, b.granted::text, b.returned::text,
              b.spent::text, b.last_seen, ${expiredSql('b', '?::timestamptz')} as expired
         from budget_ledger b
         join unnest(?::uuid[], ?::text[], ?::timestamptz[]) g(limit_id, period, period_start)
           on b.limit_id = g.limit_id and b.period = g.period and b.period_start = g.period_start
        where b.last_seen is not null
        order by b.limit_id, array_position(array['daily', 'weekly', 'monthly', 'total'], b.period), b.node_id, b.boot_id`,
      [
        expiry,
        `{${keys.map((k) => k.limitId).join(',')}}`,
        `{${keys.map((k) => k.period).join(',')}}`,
        `{${keys.map((k) => `"${k.periodStart.toISOString()}"`).join(',')}}`,
      ],
    );
    return leases.map((l) => {
      const row = byId.get(l.limit_id) as LimitRow;
      const [granted, returned, spent] = [BigInt(l.granted), BigInt(l.returned), BigInt(l.spent)];
      const held = granted - returned - spent;
      return Object.assign(new BudgetLease(), {
        limitId: l.limit_id,
        scope: row.scope_kind as LimitScope,
        scopeId: row.scope_id,
        period: l.period as BudgetPeriodEnum,
        periodStart: new Date(l.period_start),
        nodeId: l.node_id,
        bootId: l.boot_id,
        grantedUsd: nanoToUsd(granted),
        returnedUsd: nanoToUsd(returned),
        spentUsd: nanoToUsd(spent),
        heldUsd: nanoToUsd(l.expired || held < 0n ? 0n : held),
        lastSeenAt: new Date(l.last_seen),
        expired: l.expired,
      });
    });
  }

  async basis(em: Em = this.#em): Promise<BudgetBasis> {
    const [row] = await em.execute<{ budget_basis: BudgetBasis }[]>(
      "select coalesce(budget_basis, 'provider_cost') as budget_basis from billing_settings where org_id is null",
    );
    return row.budget_basis;
  }

  async setBasis(actor: Principal, basis: BudgetBasis): Promise<BudgetBasis> {
    return auditedChange(this.#em, actor, {
      action: 'budgetBasis.set',
      lock: async (em) => {
        await em.execute('select 1 from billing_settings where org_id is null for update');
        return this.basis(em);
      },
      before: (_, current) => ({ basis: current }),
      mutate: async (em) => {
        await em.execute('update billing_settings set budget_basis = ? where org_id is null', [basis]);
        return basis;
      },
      after: () => ({ basis }),
      target: () => ({ type: 'budgetBasis', id: null, orgId: null }),
    });
  }

  async #require(ref: ScopeRef): Promise<ScopeLimits> {
    const found = await this.find(ref);
    if (!found) throw notFound('scopeId', 'This scope has no limits');
    return found;
  }

  async #requireOrg(orgId: string): Promise<void> {
    const rows = isUuid(orgId)
      ? await this.#em.execute('select 1 from organizations where id = ? and deleted_at is null', [orgId])
      : [];
    if (!rows.length) throw notFound('orgId', 'No organization with this id');
  }

  async #row(em: Em, ref: ScopeRef): Promise<LimitRow | null> {
    if (!isUuid(ref.orgId)) return null;
    const [row] = await loadLimitRows(em, 'l.org_id = ? and l.scope_kind = ? and l.scope_id = ?', [
      ref.orgId,
      ref.scope,
      ref.scopeId,
    ]);
    return row ?? null;
  }

  /** The scope's row, locked (FOR UPDATE) for the rest of the transaction; null when it has none. */
  async #lockRow(em: Em, ref: ScopeRef): Promise<LimitRow | null> {
    await em.execute('select 1 from scope_limits where org_id = ? and scope_kind = ? and scope_id = ? for update', [
      ref.orgId,
      ref.scope,
      ref.scopeId,
    ]);
    return this.#row(em, ref);
  }
}

export type { LimitValues };
