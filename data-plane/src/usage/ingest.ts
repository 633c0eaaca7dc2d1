// The control-plane call that takes a usage batch (idempotent on requestId) and answers for every record.
import type { IngestResult } from '@gw/schema';
import { type ControlPlaneClient, ControlPlaneError } from '../control-plane-client.ts';
import type { RecordLine } from './spool-files.ts';

const mutation =
  'mutation ($b: JSON!) { ingestUsage(batch: $b) { accepted duplicates rejected { index requestId field reason } } }';

/** The request body up to the records: `{"query":…,"variables":{"b":{"records":[` … `]}}}`. */
const bodyStart = `{"query":${JSON.stringify(mutation)},"variables":{"b":{"records":[`;
const bodyEnd = ']}}}';

/** Record lines are already JSON: the body is put together around them, nothing is serialised again. */
export function ingestUsage(client: ControlPlaneClient) {
  return async (records: RecordLine[]): Promise<IngestResult> => {
    const { ingestUsage: r } = await client.send<{ ingestUsage: Partial<IngestResult> }>(
      bodyStart + records.join(',') + bodyEnd,
    );
    return { accepted: r.accepted ?? 0, duplicates: r.duplicates ?? 0, rejected: r.rejected ?? [] };
  };
}

/**
 * The control plane refused the batch as a whole (its envelope): sending the same batch again cannot help.
 * Invalid records alone are never refused like this; they come back in `rejected`.
 */
export function isPermanentIngestError(err: unknown): boolean {
  return err instanceof ControlPlaneError && err.codes.includes('BAD_USER_INPUT');
}
