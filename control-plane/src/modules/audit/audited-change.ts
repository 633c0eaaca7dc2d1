// Every audited write runs here, in one transaction and one order: lock what it is about, read the audited view
// before, mutate, read the view after, write the audit event. Whether the change reaches the data planes is not the
// caller's to say: the database records what it changed (migration config_changes) and bumps the config version at
// commit. Services describe their change; they never open a transaction or write an audit event on their own.
import type { Principal } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';
import { inTransaction } from '../../db/transaction.ts';
import { recordAudit } from './audit-record.ts';

/** What the audit event names as changed. */
export interface AuditTarget {
  type: string;
  id: string | null;
  /** The org the change belongs to; null for platform-wide changes. */
  orgId: string | null;
}

export interface AuditedChange<L, R> {
  /** `<target>.<verb>`, e.g. `team.update`. */
  action: string;
  /**
   * Reads and locks (FOR UPDATE) what the change is about, so concurrent changes to it apply one after the other;
   * throws NOT_FOUND when it is gone. Absent for a creation.
   */
  lock?: (em: Em) => Promise<L>;
  /** The audited view before the change; absent for a creation. */
  before?: (em: Em, locked: L) => unknown;
  mutate: (em: Em, locked: L) => Promise<R>;
  /** The audited view after the change (flushed); absent for a deletion that records nothing after. */
  after?: (em: Em, result: R, locked: L) => unknown;
  target: (result: R, locked: L) => AuditTarget;
}

/**
 * Runs the change for `actor` (the acting admin, as the audit log names it) and returns what `mutate` returned.
 * A failure anywhere rolls back everything, the audit event included; unique violations become CONFLICT.
 */
export function auditedChange<L = undefined, R = L>(em: Em, actor: Principal, change: AuditedChange<L, R>): Promise<R> {
  return inTransaction(em, async (tem) => {
    const locked = (change.lock ? await change.lock(tem) : undefined) as L;
    const before = change.before ? await change.before(tem, locked) : undefined;
    const result = await change.mutate(tem, locked);
    await tem.flush();
    const after = change.after ? await change.after(tem, result, locked) : undefined;
    const target = change.target(result, locked);
    await recordAudit(tem, actor, {
      action: change.action,
      targetType: target.type,
      targetId: target.id,
      orgId: target.orgId,
      before,
      after,
    });
    return result;
  });
}
