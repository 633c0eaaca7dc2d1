// How this replica answered its data planes: full snapshots vs deltas (and resumes), for /metrics and GraphQL.
export type SendKind = 'full' | 'delta' | 'resume';

export class SyncCounters {
  readonly #sent: Record<SendKind, number> = { full: 0, delta: 0, resume: 0 };

  sent(kind: SendKind, n: number): void {
    this.#sent[kind] += n;
  }

  get snapshot(): Readonly<Record<SendKind, number>> {
    return { ...this.#sent };
  }
}
