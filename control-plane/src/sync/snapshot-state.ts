// One replica's current snapshot, kept in memory with its additive hash and unique-value index, changed one
// resource at a time (O(change)); a change can be checked and rolled back as a whole.
import {
  type AnyResource,
  canonicalJson,
  type DeltaMessage,
  optionalKinds,
  type ResourceKind,
  resourceKinds,
  resourceProblems,
  type Snapshot,
  SnapshotHasher,
  type SnapshotLookup,
  snapshotCredential,
  snapshotKey,
  snapshotLimit,
  snapshotModel,
  snapshotModule,
  snapshotOrg,
  snapshotOrgModule,
  snapshotTeam,
  snapshotUser,
  uniqueClaims,
} from '@gw/schema';
import type { z } from 'zod';
import type { Joined } from './resource-builders.ts';

type Records = Record<ResourceKind, Map<string, AnyResource>>;

const shapes: Record<ResourceKind, z.ZodType> = {
  orgs: snapshotOrg,
  teams: snapshotTeam,
  users: snapshotUser,
  keys: snapshotKey,
  credentials: snapshotCredential,
  models: snapshotModel,
  modules: snapshotModule,
  orgModules: snapshotOrgModule,
  limits: snapshotLimit,
};

export type Delta = Pick<DeltaMessage, 'upsert' | 'remove'>;

/** What one change did: the resources it set (with their former values, to roll back) in order. */
export class Change {
  readonly undo: [ResourceKind, string, AnyResource | undefined, AnyResource | undefined][] = [];
  readonly hashBefore: string;

  constructor(hashBefore: string) {
    this.hashBefore = hashBefore;
  }

  get size(): number {
    return this.undo.length;
  }
}

export class SnapshotState {
  readonly records: Records = Object.fromEntries(resourceKinds.map((k) => [k, new Map()])) as Records;
  #hasher = new SnapshotHasher();
  /** `kind claim` -> id of the resource holding it (see uniqueClaims). */
  readonly #claims = new Map<string, string>();

  get hash(): string {
    return this.#hasher.hex;
  }

  get size(): number {
    let n = 0;
    for (const kind of resourceKinds) n += this.records[kind].size;
    return n;
  }

  readonly joined: Joined = {
    org: (id) => this.records.orgs.get(id) as never,
    team: (id) => this.records.teams.get(id) as never,
    user: (id) => this.records.users.get(id) as never,
    module: (id) => this.records.modules.get(id) as never,
    credential: (id) => this.records.credentials.get(id) as never,
    model: (id) => this.records.models.get(id) as never,
  };

  readonly lookup: SnapshotLookup = {
    get: (kind, id) => this.records[kind].get(id) as never,
    claimOwner: (kind, claim) => this.#claims.get(`${kind} ${claim}`),
  };

  begin(): Change {
    return new Change(this.hash);
  }

  /** Sets (or, with undefined, removes) one resource; a no-op when it is the same. */
  set(change: Change, kind: ResourceKind, id: string, next: AnyResource | undefined): boolean {
    return this.replace(change, kind, id, this.records[kind].get(id), next);
  }

  /** As set, with the former value given (the one before a provisional write). */
  replace(
    change: Change,
    kind: ResourceKind,
    id: string,
    before: AnyResource | undefined,
    next: AnyResource | undefined,
  ): boolean {
    this.#write(kind, id, next);
    if (before === next || (before && next && canonicalJson(before) === canonicalJson(next))) return false;
    if (before) {
      this.#hasher.remove(kind, id, before);
      this.#unclaim(kind, id, before);
    }
    if (next) {
      this.#hasher.add(kind, id, next);
      this.#claim(kind, id, next);
    }
    change.undo.push([kind, id, before, next]);
    return true;
  }

  /** Writes without hashing: a provisional value the change sets for good later (orgs before their models). */
  provisional(kind: ResourceKind, id: string, value: AnyResource | undefined): void {
    this.#write(kind, id, value);
  }

  rollback(change: Change, provisional: [ResourceKind, string, AnyResource | undefined][] = []): void {
    for (const [kind, id, before, next] of change.undo.toReversed()) {
      this.#write(kind, id, before);
      if (next) this.#unclaim(kind, id, next);
      if (before) this.#claim(kind, id, before);
    }
    for (const [kind, id, value] of provisional) this.#write(kind, id, value);
    this.#hasher = SnapshotHasher.fromHex(change.hashBefore);
  }

  /** The net delta of a change (a resource set twice counts once, by its last value). */
  delta(change: Change): Delta {
    const last = new Map<string, [ResourceKind, string, AnyResource | undefined]>();
    for (const [kind, id, , next] of change.undo) last.set(`${kind} ${id}`, [kind, id, next]);
    const upsert: Record<string, Record<string, AnyResource>> = {};
    const remove: Record<string, string[]> = {};
    for (const [kind, id, next] of last.values()) {
      if (next) (upsert[kind] ??= {})[id] = next;
      else (remove[kind] ??= []).push(id);
    }
    return { upsert, remove } as Delta;
  }

  /** Shape and consistency of what the change upserted, within the snapshot as it now is. */
  problems(change: Change): string[] {
    const problems: string[] = [];
    for (const [kind, id, , next] of change.undo) {
      if (!next || this.records[kind].get(id) !== next) continue;
      const shape = shapes[kind].safeParse(next);
      if (!shape.success)
        problems.push(...shape.error.issues.map((i) => `${kind}.${id}.${i.path.join('.')}: ${i.message}`));
      problems.push(...resourceProblems(kind, id, next as never, this.lookup));
    }
    return problems;
  }

  /** The snapshot as the contract shapes it (optional kinds only when not empty); O(resources). */
  snapshot(): Snapshot {
    const s: Record<string, Record<string, AnyResource>> = {};
    for (const kind of resourceKinds) {
      const records = this.records[kind];
      if (optionalKinds.includes(kind) && records.size === 0) continue;
      s[kind] = Object.fromEntries(records);
    }
    return s as Snapshot;
  }

  #write(kind: ResourceKind, id: string, value: AnyResource | undefined): void {
    if (value) this.records[kind].set(id, value);
    else this.records[kind].delete(id);
  }

  #claim(kind: ResourceKind, id: string, r: AnyResource): void {
    for (const c of uniqueClaims(kind, r as never)) {
      const key = `${kind} ${c}`;
      if (!this.#claims.has(key)) this.#claims.set(key, id);
    }
  }

  #unclaim(kind: ResourceKind, id: string, r: AnyResource): void {
    for (const c of uniqueClaims(kind, r as never)) {
      const key = `${kind} ${c}`;
      if (this.#claims.get(key) === id) this.#claims.delete(key);
    }
  }
}
