// Test helpers for the usage tests: contract-shaped records with increasing requestIds, and a logger that keeps
// what it logged.
import { Writable } from 'node:stream';
import type { UsageRecord } from '@gw/schema';
import pino from 'pino';
import type { Logger } from '../logger.ts';

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
