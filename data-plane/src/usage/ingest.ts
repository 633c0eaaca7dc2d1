// The control-plane call that takes a usage batch (idempotent on requestId).
import type { IngestResult, UsageRecord } from '@gw/schema';
import { type ControlPlaneClient, ControlPlaneError } from '../control-plane-client.ts';

const mutation = 'mutation ($b: JSON!) { ingestUsage(batch: $b) { accepted duplicates } }';

export function ingestUsage(client: ControlPlaneClient) {
  return async (records: UsageRecord[]): Promise<void> => {
    await client.request<{ ingestUsage: IngestResult }>(mutation, { b: { records } });
  };
}

/** The control plane validated the batch and said no: sending it again cannot help. */
export function isPermanentIngestError(err: unknown): boolean {
  return err instanceof ControlPlaneError && err.codes.includes('BAD_USER_INPUT');
}
