// The in-flight journal: what a crash leaves of the requests it cut short, and what it costs the ones that finish.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usageRecord } from '@gw/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleSnapshot, storeOf } from '../test-support/snapshots.ts';
import { InflightJournal, inflightName, recoverInflight } from './inflight.ts';
import { beginExchange, type Exchange } from './meter.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dp-inflight-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const store = storeOf(sampleSnapshot());

/** An authenticated request for gpt-test, as the chat route has it when it forwards. */
function forwarded(n: number, stream = false): Exchange {
  const ex = beginExchange(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`);
  ex.key = [...store.keysByHash.values()].find((k) => k.key.id === 'key-good')!;
  ex.model = 'gpt-test';
  ex.modelEntry = store.modelsByName.get('gpt-test')!;
  ex.provider = 'openai';
  ex.upstreamModel = 'gpt-test-upstream';
  ex.stream = stream;
  return ex;
}

/** What the next start would record: the journal as a crash leaves it (not closed, nothing more written). */
const afterCrash = () => recoverInflight(dir);

describe('in-flight journal', () => {
  it('turns requests that began and never ended into incomplete, contract-valid records; finished ones leave none', async () => {
    const journal = await InflightJournal.open(dir, 'node-1', { journalAfterMs: 0 });
    const done = forwarded(1);
    const cut = forwarded(2);
    journal.begin(done);
    journal.begin(cut);
    await journal.flush();
    journal.end(done);
    done.finished = true;
    await journal.flush();

    const records = await afterCrash();
    expect(records).toHaveLength(1);
    const [r] = records;
    expect(usageRecord.safeParse(r).success).toBe(true);
    expect(r).toMatchObject({
      requestId: cut.requestId,
      nodeId: 'node-1',
      orgId: 'org-1',
      keyId: 'key-good',
      model: 'gpt-test',
      upstreamModel: 'gpt-test-upstream',
      status: 502,
      errorCode: 'gateway_interrupted',
      incomplete: true,
      inputTokens: 0,
      outputTokens: 0,
    });
    await journal.close();
  });

  it('writes nothing for a request that ends within one write interval', async () => {
    const journal = await InflightJournal.open(dir, 'node-1');
    for (let i = 0; i < 100; i++) {
      const ex = forwarded(i);
      journal.begin(ex);
      journal.end(ex);
      ex.finished = true;
    }
    await journal.flush();
    expect((await stat(join(dir, inflightName))).size).toBe(0);
    expect(journal.openCount).toBe(0);
    await journal.close();
  });

  it('notes a request only once it has run journalAfterMs', async () => {
    const journal = await InflightJournal.open(dir, 'node-1', { journalAfterMs: 60_000 });
    const ex = forwarded(7);
    journal.begin(ex);
    await journal.flush();
    expect(await afterCrash()).toEqual([]);
    expect(journal.openCount).toBe(1);
    // Older than the threshold (as if begun a minute ago): written at the next write.
    (ex as { t0: number }).t0 -= 60_000;
    await journal.flush();
    expect((await afterCrash()).map((r) => r.requestId)).toEqual([ex.requestId]);
    await journal.close();
  });

  it('keeps the tokens a stream had relayed at the last progress line, priced', async () => {
    const journal = await InflightJournal.open(dir, 'node-1', {
      progressIntervalMs: 0,
      journalAfterMs: 0,
      bootId: 'boot-of-the-crash',
    });
    const ex = forwarded(3, true);
    let out = 0;
    ex.tokensSoFar = () => ({ inputTokens: 0, outputTokens: out, cachedInputTokens: 0 });
    journal.begin(ex);
    await journal.flush();
    out = 40;
    await journal.flush();
    out = 75;
    await journal.flush();
    const [r] = await afterCrash();
    expect(r).toMatchObject({ requestId: ex.requestId, stream: true, outputTokens: 75, incomplete: true });
    // gpt-test: $2 per million output tokens, in whole nano-dollars as the live record would say.
    expect(r.costUsd).toBe((75 * 2000) / 1e9);
    // The boot that served it: its leases are what the control plane counts the cost against.
    expect(r.bootId).toBe('boot-of-the-crash');
    expect(r.latencyMs).toBeGreaterThan(0);
    await journal.close();
  });

  it('compacts the file to the open requests once it grows past its limit', async () => {
    const journal = await InflightJournal.open(dir, 'node-1', { compactBytes: 4096, journalAfterMs: 0 });
    const open = forwarded(9999);
    journal.begin(open);
    for (let i = 0; i < 50; i++) {
      const ex = forwarded(i);
      journal.begin(ex);
      await journal.flush();
      journal.end(ex);
      ex.finished = true;
    }
    await journal.flush();
    expect((await stat(join(dir, inflightName))).size).toBeLessThan(4096 + 1024);
    expect((await afterCrash()).map((r) => r.requestId)).toEqual([open.requestId]);
    expect((await stat(join(dir, inflightName))).mode & 0o777).toBe(0o600);
    await journal.close();
  });

  it('skips a torn last line and starts afresh when opened again', async () => {
    const journal = await InflightJournal.open(dir, 'node-1', { journalAfterMs: 0 });
    const ex = forwarded(5);
    journal.begin(ex);
    await journal.flush();
    await journal.close();
    const path = join(dir, inflightName);
    const text = await readFile(path, 'utf8');
    await rm(path);
    await writeFile(path, `${text}{"b":{"requestId":"cut-mid`);
    expect((await afterCrash()).map((r) => r.requestId)).toEqual([ex.requestId]);
    const next = await InflightJournal.open(dir, 'node-1');
    expect(await afterCrash()).toEqual([]);
    await next.close();
  });
});
