// The fan-out's throttle without a database: the first delta of an org goes out on the next tick, later ones wait
// for the interval and arrive merged, orgs nobody follows cost nothing, and closing a queue forgets it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsageFanout, type UsageUpdateMessage } from './usage-fanout.ts';
import { parseUsageNotification, type UsageDelta } from './usage-notify.ts';

const delta = (orgId: string, patch: Partial<UsageDelta> = {}): UsageDelta => ({
  orgId,
  requests: 1,
  errors: 0,
  inputTokens: 10,
  outputTokens: 5,
  cachedInputTokens: 0,
  costUsd: 0.1,
  earliestAt: 1_000,
  latestAt: 1_000,
  ...patch,
});

async function drain(queue: AsyncIterator<UsageUpdateMessage>, into: UsageUpdateMessage[]): Promise<void> {
  for (;;) {
    const r = await queue.next();
    if (r.done) return;
    into.push(r.value);
  }
}

describe('UsageFanout', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the first delta at once, then at most one merged message per interval', async () => {
    const fanout = new UsageFanout({ intervalMs: 1_000, now: () => Date.now() });
    const got: UsageUpdateMessage[] = [];
    const queue = fanout.subscribe('a');
    void drain(queue, got);

    fanout.add([delta('a')]);
    await vi.advanceTimersByTimeAsync(1);
    expect(got).toHaveLength(1);

    fanout.add([delta('a', { costUsd: 0.1, earliestAt: 500 })]);
    fanout.add([delta('a', { costUsd: 0.2, latestAt: 9_000, errors: 1 })]);
    await vi.advanceTimersByTimeAsync(900);
    expect(got).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(got).toHaveLength(2);
    expect(got[1]).toMatchObject({
      requests: 2,
      errors: 1,
      inputTokens: 20,
      costUsd: 0.3,
      earliestAt: 500,
      latestAt: 9_000,
    });

    // A quiet interval ends the hold: the next delta goes out at once again.
    await vi.advanceTimersByTimeAsync(2_000);
    fanout.add([delta('a')]);
    await vi.advanceTimersByTimeAsync(1);
    expect(got).toHaveLength(3);
    await fanout.stop();
  });

  it('gives each subscriber its org only, platform-wide subscribers every org, and skips orgs nobody follows', async () => {
    const fanout = new UsageFanout();
    const ofA: UsageUpdateMessage[] = [];
    const all: UsageUpdateMessage[] = [];
    const a = fanout.subscribe('a');
    void drain(a, ofA);
    void drain(fanout.subscribe(null), all);
    fanout.add([delta('a'), delta('b')]);
    await vi.advanceTimersByTimeAsync(1);
    expect(ofA.map((m) => m.orgId)).toEqual(['a']);
    expect(all.map((m) => m.orgId).sort()).toEqual(['a', 'b']);
    expect(fanout.subscriberCount).toBe(2);
    await a.return?.();
    expect(fanout.subscriberCount).toBe(1);
    await fanout.stop();
    expect(fanout.subscriberCount).toBe(0);
  });

  it('holds no state for usage nobody here follows', async () => {
    const fanout = new UsageFanout();
    const got: UsageUpdateMessage[] = [];
    void drain(fanout.subscribe('a'), got);
    fanout.add([delta('b')]);
    expect(vi.getTimerCount()).toBe(0);
    await fanout.stop();
  });
});

describe('parseUsageNotification', () => {
  it('reads the payload the ingestion statement sends, and refuses anything else', () => {
    expect(parseUsageNotification('[["o", 2, 1, 200, 20, 0, 0.000027, 1000, 2000]]')).toEqual([
      {
        orgId: 'o',
        requests: 2,
        errors: 1,
        inputTokens: 200,
        outputTokens: 20,
        cachedInputTokens: 0,
        costUsd: 0.000027,
        earliestAt: 1000,
        latestAt: 2000,
      },
    ]);
    expect(parseUsageNotification('42')).toBeNull();
    expect(parseUsageNotification('not json')).toBeNull();
    expect(parseUsageNotification('[["o", 1]]')).toBeNull();
  });
});
