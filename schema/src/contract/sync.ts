// Sync messages pushed from the control plane to data planes (see PROTOCOL.md), protocol v2.
import { z } from 'zod';
import { canonicalJson } from './canonical.ts';
import { snapshotLimit } from './limits.ts';
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
  snapshotTeam,
  snapshotUser,
} from './snapshot.ts';

/** The sync protocol both sides speak; stated by the DP in `configSync(protocol:)` and by the CP in connection_ack. */
export const syncProtocolVersion = 2;

/** The most resources one part of a full snapshot may hold. */
export const maxResourcesPerPart = 2000;

/**
 * The resources per part the control plane sends: a 100k-key snapshot's parts are then about 100 KB of JSON each.
 * Bigger messages were allocated by the C allocator outside its heap (above its mmap threshold), which raised that
 * threshold, and the data plane's arena kept +15 to +28 MB after one full snapshot.
 */
export const sentResourcesPerPart = 250;

const version = z.number().int().nonnegative();
const hash = z.string().regex(/^[0-9a-f]{64}$/);

/** Any kinds, each a record of id -> whole resource. */
export const partialSnapshot = z
  .object({
    orgs: z.record(z.string(), snapshotOrg),
    teams: z.record(z.string(), snapshotTeam),
    users: z.record(z.string(), snapshotUser),
    keys: z.record(z.string(), snapshotKey),
    credentials: z.record(z.string(), snapshotCredential),
    models: z.record(z.string(), snapshotModel),
    modules: z.record(z.string(), snapshotModule),
    orgModules: z.record(z.string(), snapshotOrgModule),
    limits: z.record(z.string(), snapshotLimit),
  })
  .partial()
  .strict();
export type PartialSnapshot = z.infer<typeof partialSnapshot>;

/**
 * One part of a full snapshot: parts 1..`parts` are consecutive messages of one subscription; `version` and
 * `hash` (of the whole snapshot) are the same in each. The data plane applies nothing before the last part.
 */
export const fullMessage = z
  .object({
    type: z.literal('full'),
    version,
    hash,
    part: z.number().int().positive(),
    parts: z.number().int().positive(),
    resources: partialSnapshot,
  })
  .strict()
  .refine((m) => m.part <= m.parts, { message: 'part is beyond parts', path: ['part'] });

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
  .object({ type: z.literal('delta'), fromVersion: version, version, hash, upsert: partialSnapshot, remove: removals })
  .strict();

export const syncMessage = z.union([fullMessage, deltaMessage]);

export type FullMessage = z.infer<typeof fullMessage>;
export type DeltaMessage = z.infer<typeof deltaMessage>;
export type SyncMessage = z.infer<typeof syncMessage>;

/** How many resources a partial snapshot holds. */
export function resourceCount(resources: PartialSnapshot): number {
  let n = 0;
  for (const kind of resourceKinds) {
    const record = resources[kind];
    if (record) n += Object.keys(record).length;
  }
  return n;
}

/** Splits a snapshot into parts of at most `max` resources (kinds in protocol order; empty = one empty part). */
export function snapshotParts(snapshot: Snapshot, max = sentResourcesPerPart): PartialSnapshot[] {
  const parts: PartialSnapshot[] = [];
  let current: Record<string, Record<string, unknown>> = {};
  let n = 0;
  for (const kind of resourceKinds) {
    for (const [id, resource] of Object.entries(snapshot[kind] ?? {})) {
      if (n === max) {
        parts.push(current as PartialSnapshot);
        current = {};
        n = 0;
      }
      (current[kind] ??= {})[id] = resource;
      n++;
    }
  }
  parts.push(current as PartialSnapshot);
  return parts;
}

/** The messages of one full snapshot. */
export function fullMessages(version: number, hash: string, snapshot: Snapshot, max = sentResourcesPerPart) {
  const parts = snapshotParts(snapshot, max);
  return parts.map(
    (resources, i): FullMessage => ({ type: 'full', version, hash, part: i + 1, parts: parts.length, resources }),
  );
}

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

/**
 * Applies a delta to a snapshot without mutating it (pure, O(snapshot): for tests and the control plane; the
 * data plane applies deltas to its indexes in place).
 */
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
