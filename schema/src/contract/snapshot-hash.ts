// Hash v2: an additive set hash over every resource, so either side can update it in O(changed resources).
import { hash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';
import { type ResourceKind, resourceKinds, type Snapshot } from './snapshot.ts';

const modulus = 1n << 256n;

/** SHA-256 of `kind \n id \n canonicalJson(resource)`, read as a 256-bit big-endian unsigned integer. */
export function resourceDigest(kind: ResourceKind, id: string, resource: unknown): bigint {
  return BigInt(`0x${hash('sha256', `${kind}\n${id}\n${canonicalJson(resource)}`, 'hex')}`);
}

/** The snapshot hash as a running sum: add and remove resources one at a time (mod 2^256). */
export class SnapshotHasher {
  #sum = 0n;

  static fromHex(hex: string): SnapshotHasher {
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`not a snapshot hash: ${hex}`);
    const h = new SnapshotHasher();
    h.#sum = BigInt(`0x${hex}`);
    return h;
  }

  add(kind: ResourceKind, id: string, resource: unknown): this {
    this.#sum = (this.#sum + resourceDigest(kind, id, resource)) % modulus;
    return this;
  }

  remove(kind: ResourceKind, id: string, resource: unknown): this {
    this.#sum = (this.#sum - resourceDigest(kind, id, resource) + modulus) % modulus;
    return this;
  }

  /** 64 lowercase hex digits; the empty snapshot is 64 zeros. */
  get hex(): string {
    return this.#sum.toString(16).padStart(64, '0');
  }

  clone(): SnapshotHasher {
    const h = new SnapshotHasher();
    h.#sum = this.#sum;
    return h;
  }
}

/** The snapshot hash (v2): the sum of the digests of every resource of every kind, mod 2^256, as hex. */
export function snapshotHash(snapshot: Partial<Snapshot>): string {
  const h = new SnapshotHasher();
  for (const kind of resourceKinds) {
    for (const [id, resource] of Object.entries(snapshot[kind] ?? {})) h.add(kind, id, resource);
  }
  return h.hex;
}
