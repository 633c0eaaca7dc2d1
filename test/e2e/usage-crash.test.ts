// SIGKILL on the control plane while two data planes send usage: afterwards every request id a client saw is
// stored exactly once, including a batch the control plane committed but never acknowledged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ControlPlaneTap, type IngestCall, startControlPlaneTap } from '../harness/control-plane-tap.ts';
import type { DataPlane } from '../harness/data-plane.ts';
import { sleep, waitFor } from '../harness/wait.ts';
import { expectExactlyOnce, recordedIds, settledDiff } from './exactly-once.ts';
import { type Stack, startStack } from './stack.ts';
import { startTraffic } from './traffic.ts';
import { orgUsage } from './usage.ts';

let stack: Stack;
let tap: ControlPlaneTap;
let dp1: DataPlane;
let dp2: DataPlane;

beforeAll(async () => {
  // Tiny flush interval and batches: usage is in flight nearly all the time.
  stack = await startStack({
    name: 'usage-crash',
    dataPlanes: 0,
    dataPlaneEnv: { USAGE_FLUSH_MS: '10', USAGE_BATCH_SIZE: '8' },
  });
  tap = stack.teardown.add(await startControlPlaneTap(stack.cp.url), (t) => t.close(), 'control-plane tap');
  dp1 = await stack.addDataPlane('dp1', { controlPlaneUrl: tap.url });
  dp2 = await stack.addDataPlane('dp2', { controlPlaneUrl: tap.url });
});
afterAll(() => stack?.teardown.run());

const summary = (c: IngestCall) => `#${c.seq} ${c.nodeId} ${c.requestIds.length} records ${c.outcome}`;

describe('SIGKILL on the control plane under traffic', () => {
  it('stores exactly the request ids the clients saw, each once', async () => {
    const load = startTraffic(
      [
        { label: 'dp1', client: stack.client(dp1) },
        { label: 'dp2', client: stack.client(dp2) },
      ],
      { workers: 3, pauseMs: 2 },
    );
    try {
      // Usage really flows before the crash (waited on, not timed: a loaded machine answers fewer batches a second).
      await waitFor('six answered usage batches', () => tap.calls.filter((c) => c.outcome === 'answered').length > 5, {
        timeoutMs: 20_000,
      });

      // The crash window that matters most: dp1's batch is committed, its answer is not delivered.
      const held = await Promise.race([
        tap.holdNext((c) => c.nodeId === dp1.nodeId && c.requestIds.length > 0),
        sleep(5_000).then(() => undefined),
      ]);
      expect(held, 'no dp1 batch reached the control plane within 5 s').toBeDefined();
      // And a dp2 batch handed to the control plane a moment before the kill (not committed yet, as a rule).
      const inFlight = await Promise.race([
        new Promise<IngestCall>((resolve) => {
          tap.onForwarded = (c) => {
            if (c.nodeId !== dp2.nodeId || c.requestIds.length === 0) return;
            stack.cp.process.signal('SIGKILL');
            tap.onForwarded = undefined;
            resolve(c);
          };
        }),
        sleep(5_000).then(() => undefined),
      ]);
      tap.onForwarded = undefined;
      if (!inFlight) stack.cp.process.signal('SIGKILL');
      expect(await stack.cp.process.waitForExit(5_000)).toBeNull(); // killed by the signal, no exit code
      tap.dropHeld();
      expect(inFlight, 'no dp2 batch was sent within 5 s').toBeDefined();

      const stored = await recordedIds(stack.db);
      const heldCommitted = held!.requestIds.filter((id) => stored.has(id)).length;
      const inFlightCommitted = inFlight!.requestIds.filter((id) => stored.has(id)).length;
      console.log(
        `at the kill: ${load.ids.length} answers seen, ${stored.size} stored; held ${summary(held!)} ` +
          `(${heldCommitted} committed); in flight ${summary(inFlight!)} (${inFlightCommitted} committed)`,
      );
      expect(heldCommitted).toBe(held!.requestIds.length); // its answer was on the way: the rows are in

      // Traffic keeps flowing while the control plane is gone.
      const atKill = load.ids.length;
      await sleep(2_000);
      const during = load.ids.length - atKill;
      expect(during).toBeGreaterThan(20);
      await stack.cp.restart();
      await sleep(500);
      await load.stop();
      console.log(`answers: ${load.ids.length} in all, ${during} while the control plane was down`);
    } finally {
      tap.onForwarded = undefined;
      await load.stop();
    }
    expect(load.failures).toEqual([]);

    const diff = await settledDiff(stack.db, load.ids, { timeoutMs: 30_000, settleMs: 1_500 });
    expectExactlyOnce(diff);
    expect(
      new Set((await stack.db.pool.query('select distinct node_id from usage_records')).rows.map((r) => r.node_id)),
    ).toEqual(new Set([dp1.nodeId, dp2.nodeId]));

    // The held batch was sent again (its answer never arrived) and counted as duplicates, not stored twice.
    const heldCall = tap.calls.find((c) => c.outcome === 'dropped')!;
    const resent = tap.calls.filter(
      (c) =>
        c.seq > heldCall.seq && c.outcome === 'answered' && c.requestIds.some((id) => heldCall.requestIds.includes(id)),
    );
    const duplicates = resent.reduce((s, c) => s + (c.duplicates ?? 0), 0);
    console.log(
      `after the restart: held batch resent in ${resent.length} batch(es), ${duplicates} duplicates reported`,
    );
    expect(resent.length).toBeGreaterThan(0);
    expect(duplicates).toBeGreaterThanOrEqual(heldCall.requestIds.length);

    const totals = await orgUsage(stack.admin, stack.seeded.org.id);
    expect(totals).toMatchObject({ requests: diff.seen, errors: 0 });
  });
});
