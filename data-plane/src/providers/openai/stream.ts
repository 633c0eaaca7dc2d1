// Relays OpenAI SSE chunks as they arrive, reading only events that carry usage (and dropping the
// usage-only final chunk when the caller did not ask for it). Never holds more than one partial event.
import type { StreamTransform, TokenUsage } from '../types.ts';
import { usageFromOpenAI } from './response.ts';

const usageKey = Buffer.from('"usage"');
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const COLON = 0x3a;
const BRACE = 0x7b;
const QUOTE = 0x22;
/** A partial event larger than this is forwarded unparsed rather than held in memory. */
const maxCarry = 1 << 20;

/** `data:` at `at` (a line start). */
function isDataLine(buf: Buffer, at: number): boolean {
  return (
    buf[at] === 0x64 && buf[at + 1] === 0x61 && buf[at + 2] === 0x74 && buf[at + 3] === 0x61 && buf[at + 4] === COLON
  );
}

/** `"usage"` at `at`, followed by optional spaces, a colon, optional spaces and an object. */
function isUsageObject(buf: Buffer, at: number): boolean {
  for (let k = 1; k < usageKey.length; k++) if (buf[at + k] !== usageKey[k]) return false;
  let j = at + usageKey.length;
  while (buf[j] === SPACE) j++;
  if (buf[j] !== COLON) return false;
  j++;
  while (buf[j] === SPACE) j++;
  return buf[j] === BRACE;
}

/**
 * One pass over a buffer that starts at an event boundary, in JavaScript: a provider's chunk is a few hundred bytes,
 * where a few native `indexOf` calls per chunk cost more than the loop (docs/performance.md). Finds where the last
 * complete event ends (events end with a blank line), and counts, up to there, the data lines and the usage objects.
 */
class EventScan {
  /** End (exclusive) of the last complete event, or -1. */
  end = -1;
  dataLines = 0;
  usage = false;

  run(buf: Buffer, final: boolean): this {
    let lines = 0;
    let usage = false;
    this.end = -1;
    this.dataLines = 0;
    this.usage = false;
    let lineStart = 0;
    const n = buf.length;
    for (let i = 0; i < n; i++) {
      const b = buf[i];
      if (b === QUOTE) {
        if (buf[i + 1] === 0x75 /* u */ && isUsageObject(buf, i)) usage = true;
        continue;
      }
      if (b !== LF) continue;
      const blank = i === lineStart || (i === lineStart + 1 && buf[lineStart] === CR);
      if (blank && i > 0) {
        this.end = i + 1;
        this.dataLines = lines;
        this.usage = usage;
      } else if (isDataLine(buf, lineStart)) lines++;
      lineStart = i + 1;
    }
    if (final) {
      if (lineStart < n && isDataLine(buf, lineStart)) lines++;
      this.end = n;
      this.dataLines = lines;
      this.usage = usage;
    }
    return this;
  }
}

/** End (exclusive) of the first event starting at `from`, or buf.length. */
function nextEventEnd(buf: Buffer, from: number): number {
  const lf = buf.indexOf('\n\n', from);
  const crlf = buf.indexOf('\n\r\n', from);
  const a = lf === -1 ? Number.POSITIVE_INFINITY : lf + 2;
  const b = crlf === -1 ? Number.POSITIVE_INFINITY : crlf + 3;
  const end = Math.min(a, b);
  return end === Number.POSITIVE_INFINITY ? buf.length : end;
}

/** True when buf holds `"usage"` followed by an object (`"usage":null`, sent on every chunk, is not one). */
function hasUsageObject(buf: Buffer): boolean {
  for (let at = buf.indexOf(usageKey); at !== -1; at = buf.indexOf(usageKey, at + usageKey.length)) {
    if (isUsageObject(buf, at)) return true;
  }
  return false;
}

/** The event's data field (data lines joined with \n), per the SSE spec. */
function eventData(event: Buffer): string | null {
  let data: string | null = null;
  for (const rawLine of event.toString('utf8').split('\n')) {
    const line = rawLine.charCodeAt(rawLine.length - 1) === CR ? rawLine.slice(0, -1) : rawLine;
    if (!line.startsWith('data:')) continue;
    const value = line.charCodeAt(5) === SPACE ? line.slice(6) : line.slice(5);
    data = data === null ? value : `${data}\n${value}`;
  }
  return data;
}

export class OpenAIStreamTransform implements StreamTransform {
  readonly #keepUsageChunk: boolean;
  #carry: Buffer | null = null;
  #usage: TokenUsage | null = null;
  #events = 0;
  readonly #scan = new EventScan();

  constructor(options: { keepUsageChunk: boolean }) {
    this.#keepUsageChunk = options.keepUsageChunk;
  }

  get usage(): TokenUsage | null {
    return this.#usage;
  }

  get events(): number {
    return this.#events;
  }

  push(chunk: Buffer): Buffer | null {
    const buf = this.#carry ? Buffer.concat([this.#carry, chunk]) : chunk;
    const scan = this.#scan.run(buf, false);
    const end = scan.end;
    if (end === -1) {
      if (buf.length > maxCarry) {
        this.#carry = null;
        return buf;
      }
      this.#carry = buf;
      return null;
    }
    this.#carry = end < buf.length ? Buffer.from(buf.subarray(end)) : null;
    return this.#process(end === buf.length ? buf : buf.subarray(0, end), scan);
  }

  end(): Buffer | null {
    const rest = this.#carry;
    this.#carry = null;
    return rest ? this.#process(rest, this.#scan.run(rest, true)) : null;
  }

  /** Complete events in (scanned); the bytes to forward out. */
  #process(region: Buffer, scan: EventScan): Buffer | null {
    this.#events += scan.dataLines;
    if (!scan.usage) return region;
    const kept: Buffer[] = [];
    let dropped = false;
    for (let start = 0; start < region.length; ) {
      const end = nextEventEnd(region, start);
      const event = region.subarray(start, end);
      if (hasUsageObject(event) && this.#readUsage(event) === 'drop') dropped = true;
      else kept.push(event);
      start = end;
    }
    if (!dropped) return region;
    return kept.length ? Buffer.concat(kept) : null;
  }

  #readUsage(event: Buffer): 'keep' | 'drop' {
    const data = eventData(event);
    if (!data || data === '[DONE]') return 'keep';
    let parsed: { usage?: unknown; choices?: unknown };
    try {
      parsed = JSON.parse(data);
    } catch {
      return 'keep';
    }
    const usage = usageFromOpenAI(parsed?.usage);
    if (!usage) return 'keep';
    this.#usage = usage;
    const usageOnly = Array.isArray(parsed.choices) && parsed.choices.length === 0;
    return usageOnly && !this.#keepUsageChunk ? 'drop' : 'keep';
  }
}
