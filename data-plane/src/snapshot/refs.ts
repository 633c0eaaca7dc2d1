// Reverse references: which resources refer to a given one. Lets a delta check that nothing still refers to a
// removed resource, and find the index entries an upserted team/user/module/credential must refresh, in O(change).
// Mutable: owned by the newest store of a chain and changed only when a delta commits.
//
// Keys' references to their org are not kept (100,000 entries saved): a consistent key always has a team or user
// of its own org, which refers to that org in turn, so an org nothing else refers to has no keys either, and the keys
// of an org are those of its teams and users.
import { type AnyResource, type ResourceKind, type ResourceTypes, references, resourceKinds } from '@gw/schema';

/** `${sourceKind}>${targetKind}` -> target id -> the ids of the sources (a multiset: one entry per reference). */
type Relations = Map<string, Map<string, string[]>>;

const skipped = (kind: ResourceKind, targetKind: ResourceKind) => kind === 'keys' && targetKind === 'orgs';

export class RefIndex {
  readonly #relations: Relations = new Map();
  /** target kind -> the source kinds that may refer to it. */
  readonly #sources = new Map<ResourceKind, Set<ResourceKind>>();

  static build(byId: { readonly [K in ResourceKind]: ReadonlyMap<string, ResourceTypes[K]> }): RefIndex {
    const index = new RefIndex();
    for (const kind of resourceKinds) {
      for (const [id, resource] of byId[kind] as ReadonlyMap<string, AnyResource>) index.add(kind, id, resource);
    }
    return index;
  }

  add(kind: ResourceKind, id: string, resource: AnyResource): void {
    for (const [targetKind, targetId] of references(kind, resource)) {
      if (skipped(kind, targetKind)) continue;
      const name = `${kind}>${targetKind}`;
      let targets = this.#relations.get(name);
      if (!targets) {
        this.#relations.set(name, (targets = new Map()));
        let sources = this.#sources.get(targetKind);
        if (!sources) this.#sources.set(targetKind, (sources = new Set()));
        sources.add(kind);
      }
      const ids = targets.get(targetId);
      if (ids) ids.push(id);
      else targets.set(targetId, [id]);
    }
  }

  remove(kind: ResourceKind, id: string, resource: AnyResource): void {
    for (const [targetKind, targetId] of references(kind, resource)) {
      if (skipped(kind, targetKind)) continue;
      const targets = this.#relations.get(`${kind}>${targetKind}`);
      const ids = targets?.get(targetId);
      if (!ids) continue;
      const at = ids.lastIndexOf(id);
      if (at < 0) continue;
      ids[at] = ids[ids.length - 1];
      ids.pop();
      if (ids.length === 0) targets!.delete(targetId);
    }
  }

  /** The ids of the `sourceKind` resources that refer to `kind`/`id` (one entry per reference). */
  referrersOf(kind: ResourceKind, id: string, sourceKind: ResourceKind): readonly string[] {
    return this.#relations.get(`${sourceKind}>${kind}`)?.get(id) ?? none;
  }

  /** Every resource that refers to `kind`/`id`, as [source kind, ids]. */
  *referrers(kind: ResourceKind, id: string): Generator<[ResourceKind, readonly string[]]> {
    for (const sourceKind of this.#sources.get(kind) ?? []) {
      const ids = this.referrersOf(kind, id, sourceKind);
      if (ids.length) yield [sourceKind, ids];
    }
  }
}

const none: readonly string[] = [];
