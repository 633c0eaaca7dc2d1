// How a dashboard follows live usage: which updates touch what it shows (tick the totals at once, or only re-read),
// and a re-read that waits for a quiet moment but never longer than `maxWaitMs` under steady traffic.
import type { UsageFilter } from '../../graphql/generated/graphql';

export type UpdateEffect = 'tick' | 'refresh' | 'ignore';

/**
 * An update carries one org's sums without any breakdown: it can be added to totals as they are only when the
 * dashboard filters by nothing but orgs; under another filter the dashboard re-reads instead.
 */
export function updateEffect(
  update: { orgId: string },
  orgId: string | null,
  filter: UsageFilter | null,
): UpdateEffect {
  if (orgId !== null && update.orgId !== orgId) return 'ignore';
  if (filter?.orgIds && !filter.orgIds.includes(update.orgId)) return 'ignore';
  const { orgIds: _orgs, ...rest } = filter ?? {};
  const narrowed = Object.values(rest).some((v) => v !== null && v !== undefined);
  return narrowed ? 'refresh' : 'tick';
}

export interface Debounced {
  /** Asks for a run: after `quietMs` without another ask, or `maxWaitMs` after the first unanswered ask. */
  schedule(): void;
  cancel(): void;
}

export function debounced(run: () => void, quietMs: number, maxWaitMs: number): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let firstAsk: number | undefined;
  return {
    schedule() {
      const now = Date.now();
      firstAsk ??= now;
      if (timer !== undefined) clearTimeout(timer);
      const wait = Math.max(0, Math.min(quietMs, firstAsk + maxWaitMs - now));
      timer = setTimeout(() => {
        timer = undefined;
        firstAsk = undefined;
        run();
      }, wait);
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      firstAsk = undefined;
    },
  };
}
