// Reads the single-file spool of earlier versions (`usage-spool.jsonl`: record lines and `{"ack":[ids]}` lines)
// as a stream, so that a large one is migrated into segments without being held in memory.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseRecord, type RecordLine } from './spool-files.ts';

function lines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
}

/**
 * Yields the record lines no ack line acknowledged, in file order. Two passes: the first collects the acknowledged
 * ids (few: the old spool compacted them away), the second streams the records. Unreadable lines (a torn last
 * line) are counted in `skipped`.
 */
export async function* readLegacySpool(path: string, skipped: { lines: number }): AsyncGenerator<RecordLine> {
  const acked = new Set<string>();
  for await (const line of lines(path)) {
    if (!line.startsWith('{"ack"')) continue;
    try {
      const { ack } = JSON.parse(line) as { ack?: unknown };
      if (Array.isArray(ack)) for (const id of ack) if (typeof id === 'string') acked.add(id);
    } catch {
      skipped.lines++;
    }
  }
  for await (const line of lines(path)) {
    if (!line || line.startsWith('{"ack"')) continue;
    const record = parseRecord(line);
    if (!record) skipped.lines++;
    else if (!acked.has(record.requestId)) yield line;
  }
}
