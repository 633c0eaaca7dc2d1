// Relays OpenAI SSE chunks as they arrive, reading only events that carry usage (and dropping the
// usage-only final chunk when the caller did not ask for it). Never holds more than one partial event.
import type { StreamTransform, TokenUsage } from '../types.ts';
import { usageFromOpenAI } from './response.ts';

const usageKey = Buffer.from('"usage"');
/** A data line after the first of a region (regions start at an event boundary; JSON text holds no raw newline). */
const dataLine = Buffer.from('\ndata:');
const CR = 0x0d;
const SPACE = 0x20;
const COLON = 0x3a;
const BRACE = 0x7b;
/** A partial event larger than this is forwarded unparsed rather than held in memory. */
const maxCarry = 1 << 20;

/** End (exclusive) of the last complete event in buf, or -1. Events end with a blank line. */
function lastEventEnd(buf: Buffer): number {
  const lf = buf.lastIndexOf('\n\n');
  const crlf = buf.lastIndexOf('\n\r\n');
  return Math.max(lf === -1 ? -1 : lf + 2, crlf === -1 ? -1 : crlf + 3);
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

/**
 * True when buf holds `"usage"` followed by an object. Chunks carry `"usage":null` on every event
 * once usage is requested; those must stay on the fast path (no JSON parsing).
 */
function hasUsageObject(buf: Buffer): boolean {
  let at = buf.indexOf(usageKey);
  while (at !== -1) {
    let j = at + usageKey.length;
    while (buf[j] === SPACE) j++;
    if (buf[j] === COLON) {
      j++;
      while (buf[j] === SPACE) j++;
      if (buf[j] === BRACE) return true;
    }
    at = buf.indexOf(usageKey, at + usageKey.length);
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
    const end = lastEventEnd(buf);
    if (end === -1) {
      if (buf.length > maxCarry) {
        this.#carry = null;
        return buf;
      }
      this.#carry = buf;
      return null;
    }
    this.#carry = end < buf.length ? Buffer.from(buf.subarray(end)) : null;
    return this.#process(end === buf.length ? buf : buf.subarray(0, end));
  }

  end(): Buffer | null {
    const rest = this.#carry;
    this.#carry = null;
    return rest ? this.#process(rest) : null;
  }

  /** Complete events in; the bytes to forward out. */
  #process(region: Buffer): Buffer | null {
    if (region[0] === 0x64 /* d */ && region.indexOf('data:') === 0) this.#events++;
    for (let at = region.indexOf(dataLine); at !== -1; at = region.indexOf(dataLine, at + 6)) this.#events++;
    if (!hasUsageObject(region)) return region;
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
