// Checks snapshots against the contract's schemas one resource at a time. zod returns a copy of what it parses: a
// whole 100k-key snapshot parsed at once meant a second copy of it alive until the parse ended (promoted to the old
// generation, +35 MB until a major GC), where one resource's copy dies young.
import {
  type AnyResource,
  optionalKinds,
  partialSnapshot,
  type ResourceKind,
  resourceKinds,
  type Snapshot,
} from '@gw/schema';
import type { z } from 'zod';

const resourceSchemas = partialSnapshot.shape as unknown as Record<
  ResourceKind,
  { unwrap(): { valueType: z.ZodType<AnyResource> } }
>;
const schemaOf = Object.fromEntries(resourceKinds.map((k) => [k, resourceSchemas[k].unwrap().valueType])) as Record<
  ResourceKind,
  z.ZodType<AnyResource>
>;

/** Why `raw` is not a valid resource of `kind` (null when it is). The schemas are strict and transform nothing. */
export function resourceError(kind: ResourceKind, id: string, raw: unknown): string | null {
  const r = schemaOf[kind].safeParse(raw);
  return r.success ? null : `resources.${kind}.${id}: ${r.error.message}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `raw` itself when it is a valid snapshot (what snapshotSchema accepts); throws naming the first problem. */
export function checkedSnapshot(raw: unknown): Snapshot {
  if (!isRecord(raw)) throw new Error('snapshot: not an object');
  for (const kind of Object.keys(raw)) {
    if (!resourceKinds.includes(kind as ResourceKind)) throw new Error(`snapshot: unknown kind ${kind}`);
  }
  for (const kind of resourceKinds) {
    const records = raw[kind];
    if (records === undefined && optionalKinds.includes(kind)) continue;
    if (!isRecord(records)) throw new Error(`snapshot: ${kind} is not a record of resources`);
    for (const [id, resource] of Object.entries(records)) {
      const problem = resourceError(kind, id, resource);
      if (problem) throw new Error(`snapshot: ${problem}`);
    }
  }
  return raw as Snapshot;
}
