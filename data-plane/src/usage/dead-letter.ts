// The usage dead-letter file (DP_STATE_DIR/usage-dead-letter.jsonl): records the control plane rejected, kept with the
// reason so that none is silently lost and an operator can inspect, fix and replay them. Rare path: never on a request.
import { type FileHandle, open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { countLines, type RecordLine } from './spool-files.ts';

export const deadLetterName = 'usage-dead-letter.jsonl';

/** One rejected record, as the control plane explained it. */
export interface DeadLetter {
  line: RecordLine;
  reason: string;
  field: string | null;
}

/**
 * One JSON object per line: `{"rejectedAt","reason","field","record"}`. `record` is the record exactly as it was sent
 * (its JSON text embedded as is) or, should that text not be JSON, a string holding it.
 */
function entry(d: DeadLetter, at: string): string {
  let record = d.line;
  try {
    JSON.parse(d.line);
  } catch {
    record = JSON.stringify(d.line);
  }
  return `{"rejectedAt":${JSON.stringify(at)},"reason":${JSON.stringify(d.reason)},"field":${JSON.stringify(d.field)},"record":${record}}\n`;
}

export class DeadLetterFile {
  readonly path: string;
  #records: number;
  #lastAt: Date | null;
  #fh: FileHandle | null = null;

  private constructor(path: string, records: number, lastAt: Date | null) {
    this.path = path;
    this.#records = records;
    this.#lastAt = lastAt;
  }

  /** Opens (without creating) the file in `stateDir` and counts what earlier runs left in it. */
  static async open(stateDir: string): Promise<DeadLetterFile> {
    const path = join(stateDir, deadLetterName);
    try {
      const info = await stat(path);
      return new DeadLetterFile(path, info.size ? await countLines(path) : 0, info.size ? info.mtime : null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return new DeadLetterFile(path, 0, null);
    }
  }

  /** Records in the file, earlier runs included. */
  get records(): number {
    return this.#records;
  }

  /** When the newest record was added (null when the file is empty or absent). */
  get lastAt(): Date | null {
    return this.#lastAt;
  }

  /**
   * Appends the records and syncs the file; only then may the caller acknowledge them in the spool. Rejects when
   * the disk fails: the records then stay in the spool and are sent, and rejected, again later.
   */
  async add(letters: DeadLetter[], now = new Date()): Promise<void> {
    if (!letters.length) return;
    const at = now.toISOString();
    this.#fh ??= await open(this.path, 'a', 0o600);
    await this.#fh.writeFile(letters.map((d) => entry(d, at)).join(''));
    await this.#fh.datasync();
    this.#records += letters.length;
    this.#lastAt = now;
  }

  async close(): Promise<void> {
    const fh = this.#fh;
    this.#fh = null;
    await fh?.close();
  }
}
