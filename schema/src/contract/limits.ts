// Budgets and rate limits: what the snapshot says is set on each scope, the money unit both planes count in, and
// the lease call by which a data plane holds a slice of a budget (schema/PROTOCOL.md, "Budgets and rate limits").
import { z } from 'zod';

const id = z.string().min(1);
const isoTime = z.string().datetime({ offset: true });

/** The scopes a budget or rate limit can be set on. `module` is a product module within one org. */
export const limitScopes = ['org', 'team', 'user', 'key', 'module'] as const;
export const limitScope = z.enum(limitScopes);
export type LimitScope = z.infer<typeof limitScope>;

/** Budget periods; all but `total` reset on calendar boundaries in the org's time zone (weeks start on Monday). */
export const budgetPeriods = ['daily', 'weekly', 'monthly', 'total'] as const;
export const budgetPeriod = z.enum(budgetPeriods);
export type BudgetPeriod = z.infer<typeof budgetPeriod>;

/**
 * Money in the ledger and on the wire: whole nano-dollars (1e-9 USD) in a JavaScript number, exact integer
 * arithmetic up to Number.MAX_SAFE_INTEGER, so one budget is at most `maxBudgetUsd`.
 */
export const nanoPerUsd = 1_000_000_000;
export const maxBudgetUsd = 9_000_000;
export const nano = z
  .number()
  .int()
  .nonnegative()
  .max(maxBudgetUsd * nanoPerUsd);

/**
 * Snapshot kind `limits`, keyed by id: everything set on one scope. A scope without budgets or rate limits has no
 * entry. For `org`, `scopeId` is the org's id; for `module`, the catalogue module's id (within `orgId`).
 */
export const snapshotLimit = z
  .object({
    id,
    orgId: id,
    scope: limitScope,
    scopeId: id,
    /** Nano-dollars per period; a period left out has no budget. */
    budgets: z.object({ daily: nano, weekly: nano, monthly: nano, total: nano }).partial().strict(),
    /** Requests per minute, all data planes together; absent = none. */
    rpm: z.number().int().positive().optional(),
    /** Tokens (input + output) per minute, all data planes together; absent = none. */
    tpm: z.number().int().positive().optional(),
  })
  .strict();
export type SnapshotLimit = z.infer<typeof snapshotLimit>;

/** The index key of a scope in a data plane's limit lookup: one string per scope a request belongs to. */
export function limitScopeKey(scope: LimitScope, scopeId: string, orgId: string): string {
  return scope === 'module' ? `module:${orgId}:${scopeId}` : `${scope}:${scopeId}`;
}

// ---- the lease call: Mutation.leaseBudgets(request: JSON!): JSON! (data-plane token)

/** Most budgets one lease call may name. */
export const maxLeaseItems = 2000;

/** One budget a data plane asks about. Amounts are cumulative for this boot and period, so a retry is harmless. */
export const leaseAsk = z
  .object({
    limitId: id,
    period: budgetPeriod,
    /** The period the data plane holds a lease for (as the control plane named it); null = it holds none yet. */
    periodStart: isoTime.nullable(),
    /** Nano-dollars more it would like to hold (0: only renew and report). */
    want: nano,
    /**
     * The smallest grant that is of use now (the worst case of a request waiting for it; 0 = none waiting). The control
     * plane grants at least this much while the budget has it, however thinly it spreads the rest (PROTOCOL.md).
     */
    need: nano,
    /** Nano-dollars of this period's grants it has given back for good (cumulative, never decreases). */
    returned: nano,
  })
  .strict();

export const leaseRequest = z
  .object({
    nodeId: z.string().min(1).max(128),
    /** Random per process start: a restarted data plane holds new leases, and its old ones expire. */
    bootId: z.string().min(8).max(64),
    asks: z.array(leaseAsk).max(maxLeaseItems),
  })
  .strict();
export type LeaseAsk = z.infer<typeof leaseAsk>;
export type LeaseRequest = z.infer<typeof leaseRequest>;

/** The control plane's answer for one ask: always the current period of that budget. */
export interface LeaseGrant {
  limitId: string;
  period: BudgetPeriod;
  /** ISO start of the current period (the epoch for `total`). */
  periodStart: string;
  /** ISO time the period ends and the budget resets; null for `total`. */
  resetsAt: string | null;
  /** Nano-dollars granted to this boot in this period so far (cumulative). */
  granted: number;
  /** The budget, nano-dollars. */
  limit: number;
  /** Nano-dollars recorded as spent in this period, all data planes (from ingested usage). */
  spent: number;
  /** Nano-dollars neither spent nor held by any data plane after this grant. */
  available: number;
  /**
   * What a request's provider cost is multiplied by before it counts against budgets, in millionths (1_000_000 =
   * provider cost; 1_200_000 = billed cost under a 20% markup), per the platform's budget basis.
   */
  costFactorPpm: number;
}

export interface LeaseResponse {
  /** A lease not renewed within this long may be reclaimed by the control plane; data planes stop using it sooner. */
  ttlMs: number;
  /** Data planes holding or renewing leases now (at least 1): rate limits are shared among them. */
  dataPlanes: number;
  grants: LeaseGrant[];
  /** limitIds (or periods) the control plane no longer has: the data plane drops those leases. */
  gone: { limitId: string; period: BudgetPeriod }[];
}

// ---- cost, counted the same way by both planes

/** Pico-dollars per token for a price in USD per million tokens (prices carry at most 6 decimals). */
export function picoPerToken(usdPerMTok: number): number {
  return Math.round(usdPerMTok * 1e6);
}

/**
 * A request's provider cost in whole nano-dollars, rounded up: uncached input at the input price, cached input at
 * the cached price, output at the output price (OpenAI counts cached tokens inside the input). Prices are pico-dollars
 * per token (`picoPerToken`); the sum stays an exact integer for any real request.
 */
export function costNano(
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens: number,
  pico: { input: number; output: number; cachedInput: number },
): number {
  const uncached = inputTokens > cachedInputTokens ? inputTokens - cachedInputTokens : 0;
  return Math.ceil((uncached * pico.input + cachedInputTokens * pico.cachedInput + outputTokens * pico.output) / 1000);
}

/** `nanoAmount` as counted against budgets under a cost factor in millionths (LeaseGrant.costFactorPpm), rounded up. */
export function chargedNano(nanoAmount: number, costFactorPpm: number): number {
  if (costFactorPpm === 1_000_000) return nanoAmount;
  const product = nanoAmount * costFactorPpm;
  if (Number.isSafeInteger(product)) return Math.ceil(product / 1_000_000);
  return Number((BigInt(nanoAmount) * BigInt(costFactorPpm) + 999_999n) / 1_000_000n);
}
