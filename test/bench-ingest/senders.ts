// Data planes' worth of usage, offered at a fixed rate: each sender makes its share of records every flush interval
// (as a data plane's batcher does) and sends them in batches, one at a time, over HTTP to ingestUsage. A sender
// that falls behind builds a backlog, which shows as lag: record time -> the moment its batch was stored.
import { randomUUID } from 'node:crypto';
import { Pool } from 'undici';

const mutation =
  'mutation ($b: JSON!) { ingestUsage(batch: $b) { accepted duplicates rejected { index requestId field reason } } }';
const bodyStart = `{"query":${JSON.stringify(mutation)},"variables":{"b":{"records":[`;
const bodyEnd = ']}}}';

export interface SenderOptions {
  graphqlUrl: string;
  dataPlaneToken: string;
  orgId: string;
  /** Records per second this sender offers. */
  rate: number;
  batchSize: number;
  flushMs: number;
  durationMs: number;
  /** After the offered load ends, how long a backlog may still drain before the sender gives up on it. */
  drainMs: number;
  nodeId: string;
}

export interface SenderResult {
  offered: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  failedBatches: number;
  /** Records still queued when the drain time ran out. */
  unsent: number;
  /** Per stored record: ms from its time (ts) to the answer for its batch. */
  lagsMs: Float64Array;
  /** [answer time, records in the batch], one per batch answered. */
  acks: [number, number][];
}

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

function record(orgId: string, nodeId: string, ts: number): string {
  return JSON.stringify({
    requestId: `bench_${randomUUID()}`,
    ts: new Date(ts).toISOString(),
    nodeId,
    orgId,
    teamId: null,
    userId: null,
    keyId: randomUUID(),
    moduleId: null,
    model: 'gpt-4o-mini',
    provider: 'openai',
    upstreamModel: 'gpt-4o-mini',
    inputTokens: 120,
    outputTokens: 30,
    cachedInputTokens: 0,
    costUsd: 0.000036,
    latencyMs: 210.5,
    overheadMs: 0.4,
    status: 200,
    errorCode: null,
    stream: false,
  });
}

export async function runSender(o: SenderOptions): Promise<SenderResult> {
  const url = new URL(o.graphqlUrl);
  const pool = new Pool(url.origin, { connections: 1, keepAliveTimeout: 30_000 });
  const perFlush = Math.round((o.rate * o.flushMs) / 1000);
  const total = perFlush * Math.ceil(o.durationMs / o.flushMs);
  const lagsMs = new Float64Array(total);
  const queue: { line: string; ts: number }[] = [];
  const result: SenderResult = {
    offered: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    failedBatches: 0,
    unsent: 0,
    lagsMs,
    acks: [],
  };
  let stored = 0;
  const start = Date.now();
  let tick = 1;
  let producing = true;
  // The batcher: every flush interval, the records of that interval (their times spread over it) join the queue.
  const produce = (async () => {
    while (producing && result.offered < total) {
      const due = start + tick * o.flushMs;
      await sleepUntil(due);
      for (let i = 0; i < perFlush && result.offered < total; i++) {
        const ts = due - o.flushMs + (i * o.flushMs) / perFlush;
        queue.push({ line: record(o.orgId, o.nodeId, ts), ts });
        result.offered++;
      }
      tick++;
    }
  })();
  try {
    const giveUpAt = start + o.durationMs + o.drainMs;
    while ((result.offered < total || queue.length > 0) && Date.now() < giveUpAt) {
      if (queue.length === 0) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const batch = queue.splice(0, o.batchSize);
      const res = await pool.request({
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${o.dataPlaneToken}` },
        body: bodyStart + batch.map((r) => r.line).join(',') + bodyEnd,
      });
      const body = (await res.body.json()) as {
        data?: { ingestUsage?: { accepted: number; duplicates: number; rejected: unknown[] } };
      };
      const answeredAt = Date.now();
      const r = body.data?.ingestUsage;
      if (!r) {
        result.failedBatches++;
        queue.unshift(...batch); // sent again, as a data plane would
        continue;
      }
      result.accepted += r.accepted;
      result.duplicates += r.duplicates;
      result.rejected += r.rejected.length;
      for (const x of batch) lagsMs[stored++] = answeredAt - x.ts;
      result.acks.push([answeredAt, batch.length]);
    }
  } finally {
    producing = false;
    await produce;
    result.unsent = queue.length;
    await pool.close();
  }
  result.lagsMs = lagsMs.subarray(0, stored);
  return result;
}
