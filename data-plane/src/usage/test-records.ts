// Test helpers for the usage tests: contract-shaped records with increasing requestIds, record lines read back as
// records, and a logger that keeps what it logged.
import { Writable } from 'node:stream';
import type { IngestResult, UsageRecord } from '@gw/schema';
import pino from 'pino';
import type { Logger } from '../logger.ts';
import type { SendBatch } from './batcher.ts';
import type { UsageSpool } from './spool.ts';
import type { RecordLine } from './spool-files.ts';

let seq = 0;

export function sampleRecord(extra: Partial<UsageRecord> = {}): UsageRecord {
  seq++;
  return {
    requestId: `req-${String(seq).padStart(8, '0')}`,
    ts: new Date().toISOString(),
    nodeId: 'n',
    orgId: 'o',
    teamId: null,
    userId: null,
    keyId: 'k',
    moduleId: null,
    model: 'm',
    provider: 'openai',
    upstreamModel: 'u',
    inputTokens: 1,
    outputTokens: 1,
    cachedInputTokens: 0,
    costUsd: 0,
    latencyMs: 1,
    overheadMs: 0.1,
    status: 200,
    errorCode: null,
    stream: false,
    ...extra,
  };
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A debug-level logger whose lines land, parsed, in `lines` (pino writes to the sink synchronously). */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

export const fromLines = (lines: RecordLine[]): UsageRecord[] => lines.map((l) => JSON.parse(l) as UsageRecord);

/** A batch sender written against records: the spool hands the batcher JSON lines. */
export function parsed(send: (records: UsageRecord[]) => Promise<IngestResult>): SendBatch {
  return (lines) => send(fromLines(lines));
}

/** The spool's next batch, as records. */
export async function readRecords(spool: UsageSpool, max: number): Promise<UsageRecord[]> {
  return fromLines(await spool.read(max));
}
