// Decides whether a sync message can be applied, and builds the next store if so (pure: no I/O).
import { applyDelta, emptySnapshot, type Snapshot, snapshotHash, snapshotProblems, syncMessage } from '@gw/schema';
import { type SnapshotSource, SnapshotStore } from './store.ts';

export type ApplyOutcome =
  | { readonly kind: 'applied'; readonly store: SnapshotStore; readonly full: boolean; readonly downgrade: boolean }
  /** `resync`: ask the control plane for a full snapshot; the current store stays in force either way. */
  | { readonly kind: 'rejected'; readonly reason: string; readonly resync: boolean };

function problemsText(problems: string[]): string {
  return problems.length > 5
    ? `${problems.slice(0, 5).join('; ')} (+${problems.length - 5} more)`
    : problems.join('; ');
}

export function applySyncMessage(
  current: SnapshotStore | null,
  raw: unknown,
  source: SnapshotSource = 'control-plane',
): ApplyOutcome {
  const parsed = syncMessage.safeParse(raw);
  if (!parsed.success) {
    return { kind: 'rejected', reason: `malformed sync message: ${parsed.error.message}`, resync: true };
  }
  const message = parsed.data;

  if (message.type === 'full') {
    if (message.parts !== 1)
      return { kind: 'rejected', reason: 'full snapshots in parts are not supported yet', resync: true };
    const snapshot = { ...emptySnapshot(), ...message.resources } as Snapshot;
    const hash = snapshotHash(snapshot);
    if (hash !== message.hash) {
      return {
        kind: 'rejected',
        reason: `full snapshot hash mismatch (got ${hash}, announced ${message.hash})`,
        resync: true,
      };
    }
    const problems = snapshotProblems(snapshot);
    if (problems.length) {
      return { kind: 'rejected', reason: `inconsistent full snapshot: ${problemsText(problems)}`, resync: true };
    }
    const store = new SnapshotStore(snapshot, { version: message.version, hash, source }, current);
    return { kind: 'applied', store, full: true, downgrade: current !== null && message.version < current.version };
  }

  if (!current) return { kind: 'rejected', reason: 'delta received before any full snapshot', resync: true };
  if (message.fromVersion !== current.version) {
    return {
      kind: 'rejected',
      reason: `delta from version ${message.fromVersion} does not apply to version ${current.version}`,
      resync: true,
    };
  }
  const next = applyDelta(current.snapshot, message);
  const problems = snapshotProblems(next);
  if (problems.length) {
    return {
      kind: 'rejected',
      reason: `delta leaves an inconsistent snapshot: ${problemsText(problems)}`,
      resync: true,
    };
  }
  const hash = snapshotHash(next);
  if (hash !== message.hash) {
    return {
      kind: 'rejected',
      reason: `delta result hash mismatch (got ${hash}, announced ${message.hash})`,
      resync: true,
    };
  }
  const store = new SnapshotStore(next, { version: message.version, hash, source }, current);
  return { kind: 'applied', store, full: false, downgrade: false };
}
