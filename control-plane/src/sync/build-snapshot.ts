// Pure mapping from database rows to the contract Snapshot the data planes enforce.
import type { Snapshot } from '@gw/schema';
import { applyChanges, runInMemory } from './apply-changes.ts';
import type { OpenSecret } from './resource-builders.ts';
import type { SnapshotRows } from './snapshot-rows.ts';
import { SnapshotState } from './snapshot-state.ts';

export type { OpenSecret } from './resource-builders.ts';

/**
 * Rules (PROTOCOL.md, "Deleted and suspended resources"; one row at a time in resource-builders.ts):
 * - deleted orgs/teams/users/modules are left out, and so is everything that hangs off them (a user key whose
 *   attribution team is gone, or no longer the user's, keeps working without it);
 * - revoked keys are left out; expired keys stay (the data plane checks expiresAt);
 * - suspended orgs/teams/users stay with their status, so the data plane can refuse their keys precisely.
 * The output does not depend on row order: snapshots are maps keyed by id and lists are sorted.
 */
export function buildSnapshot(rows: Omit<SnapshotRows, 'version'>, openSecret: OpenSecret): Snapshot {
  return buildState(rows, openSecret).snapshot();
}

/** The same, as a replica's in-memory state (with its hash), which later changes then update in place. */
export function buildState(rows: Omit<SnapshotRows, 'version'>, openSecret: OpenSecret): SnapshotState {
  const state = new SnapshotState();
  runInMemory(applyChanges(state, 'all', openSecret), rows);
  return state;
}
