// A full snapshot arriving in parts: each part is checked and indexed as it arrives (in steps), nothing is
// applied before the last part, then the whole is checked (hash, consistency) and built into a store.
import {
  type AnyResource,
  type FullMessage,
  maxResourcesPerPart,
  type PartialSnapshot,
  type ResourceKind,
  resourceCount,
  resourceKinds,
} from '@gw/schema';
import { StoreBuilder, stepSize } from './builder.ts';
import { type SnapshotSource, SnapshotStore } from './store.ts';
import { resourceError } from './validate.ts';
import { checkYoungGeneration } from './young-generation.ts';

export function problemsText(problems: string[]): string {
  return problems.length > 5
    ? `${problems.slice(0, 5).join('; ')} (+${problems.length - 5} more)`
    : problems.join('; ');
}

/** A part whose resources are still unchecked. */
export type FullEnvelope = Omit<FullMessage, 'resources'> & {
  resources: Partial<Record<ResourceKind, Record<string, unknown>>>;
};

export class FullAssembly {
  readonly version: number;
  readonly hash: string;
  readonly parts: number;
  #received = 0;
  readonly #builder: StoreBuilder;

  /** `current`: the store this snapshot will replace, whose unchanged resources and entries are reused. */
  constructor(first: FullEnvelope, current: SnapshotStore | null = null) {
    this.version = first.version;
    this.hash = first.hash;
    this.parts = first.parts;
    this.#builder = new StoreBuilder(current?.parts.byId ?? null, current?.hash ?? null);
  }

  get complete(): boolean {
    return this.#received === this.parts;
  }

  /** Checks that `message` is the next part of this snapshot and adds its resources; the value is a problem. */
  *add(message: FullEnvelope): Generator<void, string | null> {
    const expected = this.#received + 1;
    if (message.version !== this.version || message.hash !== this.hash || message.parts !== this.parts) {
      return `full snapshot part ${message.part}/${message.parts} (version ${message.version}) does not belong to the snapshot being received (version ${this.version}, ${this.parts} parts)`;
    }
    if (message.part !== expected) {
      return `full snapshot part ${message.part}/${this.parts} arrived where part ${expected} was expected`;
    }
    const count = resourceCount(message.resources as PartialSnapshot);
    if (count > maxResourcesPerPart) {
      return `full snapshot part ${message.part} holds ${count} resources (at most ${maxResourcesPerPart})`;
    }
    let n = 0;
    checkYoungGeneration();
    for (const kind of resourceKinds) {
      for (const [id, raw] of Object.entries(message.resources[kind] ?? {})) {
        // A resource equal to the one the current store holds was checked when that one arrived.
        const known = this.#builder.known(kind, id, raw);
        if (!known) {
          const problem = resourceError(kind, id, raw);
          if (problem) return `malformed sync message: ${problem}`;
        }
        // The schemas are strict and transform nothing: the object as received is kept (zod's copy dies young),
        // so that the resources of a part are not promoted twice.
        const problem = this.#builder.add(kind, id, known ?? (raw as AnyResource));
        if (problem) return `full snapshot: ${problem}`;
        if (++n % stepSize === 0) yield;
      }
    }
    this.#received = expected;
    return null;
  }

  /** After the last part: verifies the whole and builds the store (in steps). */
  *finish(
    previous: SnapshotStore | null,
    source: SnapshotSource,
  ): Generator<void, { store: SnapshotStore } | { reason: string }> {
    const hash = yield* this.#builder.hash(this.hash);
    if (hash !== this.hash) return { reason: `full snapshot hash mismatch (got ${hash}, announced ${this.hash})` };
    const problems = yield* this.#builder.check();
    if (problems.length) return { reason: `inconsistent full snapshot: ${problemsText(problems)}` };
    const { parts, refs } = yield* this.#builder.build(previous);
    return { store: new SnapshotStore(parts, { version: this.version, hash, source }, null, refs) };
  }
}
