// Decides whether a sync message can be applied, and builds the next store if so (no I/O). Work is done in
// steps (a generator) so that the sync client can yield to requests between them.
import { deltaMessage, fullMessage, resourceKinds } from '@gw/schema';
import { z } from 'zod';
import { runSteps } from './builder.ts';
import { applyDeltaToStore } from './delta.ts';
import { FullAssembly, type FullEnvelope, problemsText } from './full-assembly.ts';
import type { SnapshotSource, SnapshotStore } from './store.ts';
import { holdYoungGeneration } from './young-generation.ts';

export type ApplyOutcome =
  | { readonly kind: 'applied'; readonly store: SnapshotStore; readonly full: boolean; readonly downgrade: boolean }
  /** A part of a full snapshot was taken; the store changes at the last part. */
  | { readonly kind: 'pending'; readonly part: number; readonly parts: number }
  /**
   * `resync`: ask the control plane for a full snapshot; the current store stays in force either way. `version` and
   * `hash` are the refused message's (null when it had none readable).
   */
  | {
      readonly kind: 'rejected';
      readonly reason: string;
      readonly resync: boolean;
      readonly version: number | null;
      readonly hash: string | null;
    };

function rejected(reason: string, raw: unknown): ApplyOutcome {
  const m = (raw && typeof raw === 'object' ? raw : {}) as { version?: unknown; hash?: unknown };
  const version = typeof m.version === 'number' && Number.isInteger(m.version) && m.version >= 0 ? m.version : null;
  const hash = typeof m.hash === 'string' && /^[0-9a-f]{64}$/.test(m.hash) ? m.hash : null;
  return { kind: 'rejected', reason, resync: true, version, hash };
}

/** A full snapshot part with its resources not looked at yet (each is checked as it is taken in). */
const fullEnvelope = fullMessage.safeExtend({
  resources: z
    .object(Object.fromEntries(resourceKinds.map((k) => [k, z.record(z.string(), z.unknown())])))
    .partial()
    .strict(),
});

/** Applies the messages of one subscription in order; holds the full snapshot being received. */
export class SyncApplier {
  readonly #source: SnapshotSource;
  #assembly: FullAssembly | null = null;
  #releaseYoung: (() => void) | null = null;

  constructor(source: SnapshotSource = 'control-plane') {
    this.#source = source;
  }

  /** Forgets the full snapshot being received. */
  #drop(): void {
    this.#assembly = null;
    this.#releaseYoung?.();
    this.#releaseYoung = null;
  }

  /** True while a full snapshot's parts are being received. */
  get receiving(): boolean {
    return this.#assembly !== null;
  }

  *apply(current: SnapshotStore | null, raw: unknown): Generator<void, ApplyOutcome> {
    // A full snapshot's resources are validated one by one as the part is taken in (in steps), the rest at once.
    const isFull = (raw as { type?: unknown } | null)?.type === 'full';
    const parsed = isFull ? fullEnvelope.safeParse(raw) : deltaMessage.safeParse(raw);
    if (!parsed.success) {
      this.#drop();
      return rejected(`malformed sync message: ${parsed.error.message}`, raw);
    }
    const message = parsed.data;
    if (message.type === 'full') return yield* this.#full(current, message);

    if (this.#assembly) {
      const a = this.#assembly;
      this.#drop();
      return rejected(`delta received after part ${a.parts > 1 ? 'of' : ''} an unfinished full snapshot`, raw);
    }
    if (!current) return rejected('delta received before any full snapshot', raw);
    if (message.fromVersion !== current.version) {
      return rejected(`delta from version ${message.fromVersion} does not apply to version ${current.version}`, raw);
    }
    const out = applyDeltaToStore(current, message, this.#source);
    if (out.ok) return { kind: 'applied', store: out.store, full: false, downgrade: false };
    if (out.problems.length) {
      return rejected(`delta leaves an inconsistent snapshot: ${problemsText(out.problems)}`, raw);
    }
    return rejected(`delta result hash mismatch (got ${out.hash}, announced ${message.hash})`, raw);
  }

  *#full(current: SnapshotStore | null, message: FullEnvelope): Generator<void, ApplyOutcome> {
    if (message.part === 1) {
      this.#drop();
      this.#assembly = new FullAssembly(message, current);
      this.#releaseYoung = holdYoungGeneration(this.#assembly);
    }
    const assembly = this.#assembly;
    if (!assembly) {
      return rejected(`full snapshot part ${message.part}/${message.parts} arrived without its part 1`, message);
    }
    const problem = yield* assembly.add(message);
    if (problem) {
      this.#drop();
      return rejected(problem, message);
    }
    if (!assembly.complete) return { kind: 'pending', part: message.part, parts: message.parts };
    this.#assembly = null;
    try {
      const out = yield* assembly.finish(current, this.#source);
      if ('reason' in out) return rejected(out.reason, message);
      const downgrade = current !== null && message.version < current.version;
      return { kind: 'applied', store: out.store, full: true, downgrade };
    } finally {
      this.#drop();
    }
  }
}

/** Applies one message at once (a full snapshot must then be a single part): tests and simple callers. */
export function applySyncMessage(
  current: SnapshotStore | null,
  raw: unknown,
  source: SnapshotSource = 'control-plane',
): ApplyOutcome {
  return runSteps(new SyncApplier(source).apply(current, raw));
}
