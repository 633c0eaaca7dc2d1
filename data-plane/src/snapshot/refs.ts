// Reverse references: which resources refer to a given one. Lets a delta check that nothing still refers to a
// removed resource, and find the index entries an upserted org/team/user/module/credential must refresh, in
// O(change). Mutable: owned by the newest store of a chain and changed only when a delta commits.
import { type AnyResource, type ResourceKind, type ResourceTypes, references, resourceKinds } from '@gw/schema';

type Referrers = Map<ResourceKind, Set<string>>;

export class RefIndex {
  readonly #targets = new Map<ResourceKind, Map<string, Referrers>>();

  static build(byId: { readonly [K in ResourceKind]: ReadonlyMap<string, ResourceTypes[K]> }): RefIndex {
    const index = new RefIndex();
    for (const kind of resourceKinds) {
      for (const [id, resource] of byId[kind] as ReadonlyMap<string, AnyResource>) index.add(kind, id, resource);
    }
    return index;
  }

  add(kind: ResourceKind, id: string, resource: AnyResource): void {
    for (const [targetKind, targetId] of references(kind, resource)) {
      let targets = this.#targets.get(targetKind);
      if (!targets) this.#targets.set(targetKind, (targets = new Map()));
      let referrers = targets.get(targetId);
      if (!referrers) targets.set(targetId, (referrers = new Map()));
      let ids = referrers.get(kind);
      if (!ids) referrers.set(kind, (ids = new Set()));
      ids.add(id);
    }
  }

  remove(kind: ResourceKind, id: string, resource: AnyResource): void {
    for (const [targetKind, targetId] of references(kind, resource)) {
      const targets = this.#targets.get(targetKind);
      const referrers = targets?.get(targetId);
      const ids = referrers?.get(kind);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) referrers!.delete(kind);
      if (referrers!.size === 0) targets!.delete(targetId);
    }
  }

  /** The resources that refer to `kind`/`id`, by kind (empty when none). */
  referrers(kind: ResourceKind, id: string): ReadonlyMap<ResourceKind, ReadonlySet<string>> {
    return this.#targets.get(kind)?.get(id) ?? noReferrers;
  }
}

const noReferrers: ReadonlyMap<ResourceKind, ReadonlySet<string>> = new Map();
