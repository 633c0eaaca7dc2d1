// Budgets and rate limits without an HTTP server: a snapshot with limits, the limit services around a fake ledger
// with clocks the test moves, and requests taken through admit and decide as the pipeline takes them.
import type { BudgetPeriod, Snapshot, SnapshotLimit } from '@gw/schema';
import { BudgetLeases, type BudgetLeasesOptions } from '../budgets/budget-leases.ts';
import { RateLimiter } from '../budgets/rate-limiter.ts';
import { capturingLogger } from '../logger.ts';
import { findLimits, type LimitServices } from '../pipeline/budget.ts';
import type { RequestContext } from '../pipeline/context.ts';
import { meterLimits } from '../pipeline/meter.ts';
import { decide, decideAfterWait } from '../pipeline/run.ts';
import { admit } from '../pipeline/stages.ts';
import type { Decision } from '../policy/decision.ts';
import type { TokenUsage } from '../providers/types.ts';
import { type SnapshotStore, StoreHolder } from '../snapshot/store.ts';
import { usageCostNano } from '../usage/meter.ts';
import { contextFor } from './contexts.ts';
import { FakeLedger } from './fake-ledger.ts';
import { sampleSnapshot, secrets, storeOf } from './snapshots.ts';

export const january = { periodStart: '2026-01-01T00:00:00.000Z', resetsAt: '2026-02-01T00:00:00.000Z' };
export const february = { periodStart: '2026-02-01T00:00:00.000Z', resetsAt: '2026-03-01T00:00:00.000Z' };

export function limit(
  id: string,
  scope: SnapshotLimit['scope'],
  scopeId: string,
  extra: Partial<SnapshotLimit> = {},
): SnapshotLimit {
  return { id, orgId: 'org-1', scope, scopeId, budgets: {}, ...extra };
}

/** The sample snapshot with these limits (org-1's keys: key-good is team-1's and user-1's). */
export function limitedSnapshot(...limits: SnapshotLimit[]): Snapshot {
  return limitedSnapshotAt(undefined, ...limits);
}

/** The same with the credential at `baseUrl` (a fake provider's). */
export function limitedSnapshotAt(baseUrl: string | undefined, ...limits: SnapshotLimit[]): Snapshot {
  const s = sampleSnapshot(baseUrl);
  s.limits = Object.fromEntries(limits.map((l) => [l.id, l]));
  return s;
}

/** 1,000 nano-dollars per input token, 2,000 per output token (gpt-test at $1 / $2 per million). */
export const chatBody = (maxTokens: number | null = 100, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-test',
  messages: [{ role: 'user', content: 'hi' }],
  ...(maxTokens === null ? {} : { max_tokens: maxTokens }),
  ...extra,
});

/** The worst case the budget stage holds for `body`: its bytes as input tokens, its cap as output tokens. */
export function worstOf(body: Record<string, unknown>): number {
  return Buffer.byteLength(JSON.stringify(body)) * 1000 + ((body.max_tokens as number) ?? 16_384) * 2000;
}

export class LimitHarness implements LimitServices {
  readonly ledger = new FakeLedger();
  readonly stores = new StoreHolder();
  readonly rates: RateLimiter;
  readonly budgets: BudgetLeases;
  readonly logs: string[];
  /** Monotonic and wall clocks, ms. */
  mono = 1_000_000;
  wall = Date.parse('2026-01-15T12:00:00.000Z');
  bootId = 'boot-0000-test';

  constructor(snapshot: Snapshot, options: Partial<BudgetLeasesOptions> = {}) {
    this.stores.swap(storeOf(snapshot));
    const { logger, lines } = capturingLogger();
    this.logs = lines;
    this.rates = new RateLimiter(() => this.mono);
    this.budgets = new BudgetLeases({
      lease: this.ledger.lease,
      nodeId: 'node-1',
      bootId: this.bootId,
      stores: this.stores,
      logger,
      now: () => this.mono,
      wallNow: () => this.wall,
      onDataPlanes: (n) => {
        this.rates.dataPlanes = n;
      },
      // Tests run the background pass themselves (tick()).
      tickMs: 3_600_000,
      ...options,
    });
  }

  get store(): SnapshotStore {
    return this.stores.current as SnapshotStore;
  }

  /** A request of `secret` with `body`, admitted and its limits found, as the pipeline has it before decide. */
  request(body: Record<string, unknown> = chatBody(), secret: string = secrets.good, module?: string): RequestContext {
    const ctx = contextFor({ secret, module: module ?? null, model: body.model as string });
    const admitted = admit(this.store, ctx);
    if (!admitted.ok) throw new Error(`admit refused: ${admitted.code}`);
    findLimits(this.store, ctx);
    ctx.bodyBytes = Buffer.byteLength(JSON.stringify(body));
    ctx.request = { body, model: body.model as string, stream: false };
    return ctx;
  }

  /** decide, synchronously when it can: the Decision itself, or the promise of a request that waits. */
  decide(ctx: RequestContext): Decision | Promise<Decision> {
    const d = decide(this.store, ctx, this);
    return d.ok === 'pending' ? decideAfterWait(this.store, ctx, this, d) : d;
  }

  /** The request finished having used `usage` (what meter does for budgets and rate limits). */
  finish(ctx: RequestContext, usage: TokenUsage | null): void {
    ctx.usage = usage;
    meterLimits(this, ctx, usageCostNano(ctx.modelEntry, usage));
  }

  lease(limitId: string, period: BudgetPeriod) {
    return this.budgets.calls.book.get(limitId, period);
  }

  close(): void {
    this.budgets.calls.stop();
  }
}
