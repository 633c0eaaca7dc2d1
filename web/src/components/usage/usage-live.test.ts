// Live updates tick totals only when nothing but orgs filters the view; re-reads wait for a pause in traffic but
// not forever.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounced, updateEffect } from './usage-live';

describe('live usage updates', () => {
  it('ticks for the org shown, ignores others, only re-reads under a narrower filter', () => {
    expect(updateEffect({ orgId: 'o1' }, 'o1', null)).toBe('tick');
    expect(updateEffect({ orgId: 'o2' }, 'o1', null)).toBe('ignore');
    expect(updateEffect({ orgId: 'o2' }, null, null)).toBe('tick');
    expect(updateEffect({ orgId: 'o2' }, null, { orgIds: ['o2', 'o3'] })).toBe('tick');
    expect(updateEffect({ orgId: 'o1' }, null, { orgIds: ['o2'] })).toBe('ignore');
    expect(updateEffect({ orgId: 'o1' }, 'o1', { keyIds: ['k'] })).toBe('refresh');
    expect(updateEffect({ orgId: 'o1' }, 'o1', { keyIds: null, models: undefined })).toBe('tick');
  });

  describe('debounced re-read', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('runs once after a quiet moment', () => {
      const run = vi.fn();
      const d = debounced(run, 800, 3000);
      d.schedule();
      vi.advanceTimersByTime(500);
      d.schedule();
      vi.advanceTimersByTime(799);
      expect(run).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(run).toHaveBeenCalledTimes(1);
    });

    it('runs at the latest maxWait after the first ask under steady traffic', () => {
      const run = vi.fn();
      const d = debounced(run, 800, 3000);
      for (let t = 0; t < 3000; t += 500) {
        d.schedule();
        vi.advanceTimersByTime(500);
      }
      expect(run).toHaveBeenCalledTimes(1);
    });

    it('cancel drops a pending run', () => {
      const run = vi.fn();
      const d = debounced(run, 800, 3000);
      d.schedule();
      d.cancel();
      vi.advanceTimersByTime(5000);
      expect(run).not.toHaveBeenCalled();
    });
  });
});
