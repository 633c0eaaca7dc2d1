// The text a stream relayed (content, tool-call arguments, refusals), kept as the JSON-escaped bytes the SSE scan finds
// them in, so that a stream that ends without the provider's usage can be counted. Bounded: past `maxBytes` only the
// size of the rest is kept. Decoding and counting happen only on the slow path.

/** Text kept per stream (escaped UTF-8 bytes); what comes after is counted by size only. */
export const maxDeliveredBytes = 32 * 1024;

/**
 * A stream's first buffer comes from a free list and goes back to it when the stream ended with usage: allocating a
 * typed array per stream cost more than the whole text copy (about 20% of the SSE transform's time on an 8-chunk
 * stream, measured; docs/data-plane.md), the free list nothing measurable. Larger buffers are allocated and dropped.
 */
const initialBytes = 256;
const free: Buffer[] = [];
const maxFree = 1024;

export class DeliveredText {
  #buf: Buffer | null = null;
  #len = 0;
  /** Kept up to here belongs to complete events; the rest may be scanned again with the next chunk. */
  #committed = 0;
  #overflow = 0;
  #overflowCommitted = 0;
  readonly #max: number;

  constructor(maxBytes = maxDeliveredBytes) {
    this.#max = maxBytes;
  }

  /** Appends src[start, end), the escaped content of one JSON string. */
  add(src: Buffer, start: number, end: number): void {
    const size = end - start;
    if (size === 0) return;
    const len = this.#len;
    if (len + size > this.#max) {
      this.#overflow += size;
      return;
    }
    let buf = this.#buf;
    if (buf === null || len + size > buf.length) {
      const want = Math.min(this.#max, Math.max(initialBytes, (len + size) * 2));
      const grown = want === initialBytes && free.length > 0 ? free.pop()! : Buffer.allocUnsafeSlow(want);
      if (buf !== null) buf.copy(grown, 0, 0, len);
      this.#buf = buf = grown;
    }
    if (size <= 16) for (let k = 0; k < size; k++) buf[len + k] = src[start + k];
    else src.copy(buf, len, start, end);
    this.#len = len + size;
  }

  /** Forgets the text (the stream needs no count) and hands its first buffer back for another stream. */
  release(): void {
    const buf = this.#buf;
    this.#buf = null;
    this.#len = this.#committed = 0;
    this.#overflow = this.#overflowCommitted = 0;
    if (buf !== null && buf.length === initialBytes && free.length < maxFree) free.push(buf);
  }

  /** What was added belongs to complete events. */
  commit(): void {
    this.#committed = this.#len;
    this.#overflowCommitted = this.#overflow;
  }

  /** Forgets what was added since the last commit (an event cut by the chunk's end, to be scanned again). */
  rollback(): void {
    this.#len = this.#committed;
    this.#overflow = this.#overflowCommitted;
  }

  /** Escaped bytes seen past the cap. */
  get overflowBytes(): number {
    return this.#overflowCommitted;
  }

  /** The kept text, unescaped (slow path). Never throws: text that is not valid JSON escaping is returned as is. */
  text(): string {
    if (this.#buf === null || this.#committed === 0) return '';
    const raw = this.#buf.toString('utf8', 0, this.#committed);
    try {
      return JSON.parse(`"${raw}"`) as string;
    } catch {
      return raw;
    }
  }
}
