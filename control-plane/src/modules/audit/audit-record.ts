// Writes one audit event inside the transaction of the change it records, so the two commit or fail together.
import type { Principal } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';

export interface AuditEntry {
  /** `<target>.<verb>`, e.g. `virtualKey.revoke`. */
  action: string;
  targetType: string;
  targetId: string | null;
  /** The org the change belongs to; null for platform-wide changes. */
  orgId: string | null;
  before?: unknown;
  after?: unknown;
}

/** Field names whose values are secrets or derived from secrets: never stored in the audit log. */
const secretName = /hash|secret|password|apikey|api_key|token|ciphertext|^iv$|^tag$/i;

/** A copy with every secret-looking field replaced by "[masked]", at any depth. Dates become ISO strings. */
export function maskSecrets(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return '[masked]';
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = secretName.test(k) ? '[masked]' : maskSecrets(v);
    return out;
  }
  return value;
}

export async function recordAudit(em: Em, actor: Principal, entry: AuditEntry): Promise<void> {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(maskSecrets(v)));
  await em.execute(
    `insert into audit_events (actor_kind, actor_id, actor_label, org_id, action, target_type, target_id, before, after)
     values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)`,
    [
      actor.kind,
      actor.id,
      actor.label,
      entry.orgId,
      entry.action,
      entry.targetType,
      entry.targetId,
      json(entry.before),
      json(entry.after),
    ],
  );
}
