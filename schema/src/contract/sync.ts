// Sync messages pushed from the control plane to data planes (see PROTOCOL.md).
import { z } from 'zod';
import { canonicalJson } from './canonical.ts';
import {
  optionalKinds,
  type ResourceKind,
  resourceKinds,
  type Snapshot,
  snapshotCredential,
  snapshotKey,
  snapshotModel,
  snapshotModule,
  snapshotOrg,
  snapshotOrgModule,
  snapshotSchema,
  snapshotTeam,
  snapshotUser,
} from './snapshot.ts';

const version = z.number().int().nonnegative();
const hash = z.string().regex(/^[0-9a-f]{64}$/);

export const fullMessage = z.object({ type: z.literal('full'), version, hash, snapshot: snapshotSchema }).strict();

const upserts = z
  .object({
    orgs: z.record(z.string(), snapshotOrg),
    teams: z.record(z.string(), snapshotTeam),
    users: z.record(z.string(), snapshotUser),
    keys: z.record(z.string(), snapshotKey),
    credentials: z.record(z.string(), snapshotCredential),
    models: z.record(z.string(), snapshotModel),
    modules: z.record(z.string(), snapshotModule),
    orgModules: z.record(z.string(), snapshotOrgModule),
  })
  .partial()
  .strict();

const removals = z
  .object(
    Object.fromEntries(resourceKinds.map((k) => [k, z.array(z.string())])) as Record<
      ResourceKind,
      z.ZodArray<z.ZodString>
    >,
  )
  .partial()
  .strict();

/** A delta applies to exactly `fromVersion`; the result must hash to `hash`. */
export const deltaMessage = z
  .object({ type: z.literal('delta'), fromVersion: version, version, hash, upsert: upserts, remove: removals })
  .strict();

export const syncMessage = z.discriminatedUnion('type', [fullMessage, deltaMessage]);

export type FullMessage = z.infer<typeof fullMessage>;
export type DeltaMessage = z.infer<typeof deltaMessage>;
export type SyncMessage = z.infer<typeof syncMessage>;

/** Computes the delta that turns `from` into `to` (pure; used by the control plane). */
export function diffSnapshots(from: Snapshot, to: Snapshot): Pick<DeltaMessage, 'upsert' | 'remove'> {
  const upsert: Record<string, Record<string, unknown>> = {};
  const remove: Record<string, string[]> = {};
  for (const kind of resourceKinds) {
    // Kinds added later may be absent from an older snapshot: absent = none.
    const a = (from[kind] ?? {}) as Record<string, unknown>;
    const b = (to[kind] ?? {}) as Record<string, unknown>;
    for (const [rid, res] of Object.entries(b)) {
      if (a[rid] === undefined || canonicalJson(a[rid]) !== canonicalJson(res)) (upsert[kind] ??= {})[rid] = res;
    }
    for (const rid of Object.keys(a)) if (!(rid in b)) (remove[kind] ??= []).push(rid);
  }
  return { upsert, remove } as Pick<DeltaMessage, 'upsert' | 'remove'>;
}

/** Applies a delta to a snapshot without mutating it (pure; used by the data plane). */
export function applyDelta(base: Snapshot, delta: Pick<DeltaMessage, 'upsert' | 'remove'>): Snapshot {
  const next = { ...base } as Record<ResourceKind, Record<string, unknown>>;
  for (const kind of resourceKinds) {
    const up = delta.upsert[kind];
    const rm = delta.remove[kind];
    if (!up && !rm) continue;
    const copy = { ...next[kind] };
    if (rm) for (const rid of rm) delete copy[rid];
    if (up) Object.assign(copy, up);
    // An optional kind is present only when it holds something, as the control plane builds it.
    if (optionalKinds.includes(kind) && Object.keys(copy).length === 0) delete next[kind];
    else next[kind] = copy;
  }
  return next as Snapshot;
}
