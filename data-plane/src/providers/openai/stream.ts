// Relays OpenAI SSE chunks as they arrive, reading only events that carry usage (and dropping the
// usage-only final chunk when the caller did not ask for it), and keeping the text it relays so that a stream that
// ends without usage can be counted. Never holds more than one partial event.
import type { ChatRequest, StreamOptions, StreamTransform, TokenUsage } from '../types.ts';
import { countChatStream } from './count.ts';
import { DeliveredText } from './delivered-text.ts';
import { usageFromOpenAI } from './response.ts';

const usageKey = Buffer.from('"usage"');
/** The keys whose string values are text the caller is charged for: content, tool-call arguments, refusals. */
const contentKey = Buffer.from('"content"');
const argumentsKey = Buffer.from('"arguments"');
const refusalKey = Buffer.from('"refusal"');
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const COLON = 0x3a;
const BRACE = 0x7b;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const A = 0x61;
const C = 0x63;
const R = 0x72;
const U = 0x75;
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
 * `"content"`, `"arguments"` or `"refusal"` at `at` (its second byte already read as c, a or r), followed by optional
 * spaces, a colon, optional spaces and a string: where the string's text starts; else -1 (`"refusal":null`).
 */
function textValueStart(buf: Buffer, at: number): number {
  const second = buf[at + 1];
  const key = second === C ? contentKey : second === A ? argumentsKey : refusalKey;
  for (let k = 2; k < key.length; k++) if (buf[at + k] !== key[k]) return -1;
  let j = at + key.length;
  while (buf[j] === SPACE) j++;
  if (buf[j] !== COLON) return -1;
  j++;
  while (buf[j] === SPACE) j++;
  return buf[j] === QUOTE ? j + 1 : -1;
}

/** The closing quote of the JSON string whose text starts at `from`; -1 when the line or the buffer ends first. */
function stringEnd(buf: Buffer, from: number): number {
  for (let j = from; j < buf.length; j++) {
    const c = buf[j];
    if (c === QUOTE) return j;
    if (c === BACKSLASH) j++;
    else if (c === LF) return -1;
  }
  return -1;
}

/**
 * One pass over a buffer that starts at an event boundary, in JavaScript: a provider's chunk is a few hundred bytes,
 * where a few native `indexOf` calls per chunk cost more than the loop (docs/performance.md). Finds where the last
 * complete event ends (events end with a blank line), and counts, up to there, the data lines and the usage objects;
 * hands the text strings of the complete events to `text` (those of an event the buffer cuts are taken back).
 */
class EventScan {
  /** End (exclusive) of the last complete event, or -1. */
  end = -1;
  dataLines = 0;
  usage = false;

  run(buf: Buffer, final: boolean, text: DeliveredText): this {
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
        const next = buf[i + 1];
        if (next === U) {
          if (isUsageObject(buf, i)) usage = true;
        } else if (next === C || next === A || next === R) {
          const from = textValueStart(buf, i);
          const close = from === -1 ? -1 : stringEnd(buf, from);
          if (close !== -1) {
            text.add(buf, from, close);
            i = close;
          }
        }
        continue;
      }
      if (b !== LF) continue;
      const blank = i === lineStart || (i === lineStart + 1 && buf[lineStart] === CR);
      if (blank && i > 0) {
        this.end = i + 1;
        this.dataLines = lines;
        this.usage = usage;
        text.commit();
      } else if (isDataLine(buf, lineStart)) lines++;
      lineStart = i + 1;
    }
    if (final) {
      if (lineStart < n && isDataLine(buf, lineStart)) lines++;
      this.end = n;
      this.dataLines = lines;
      this.usage = usage;
      text.commit();
    } else text.rollback();
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
  readonly #request: ChatRequest;
  readonly #upstreamModel: string;
  #carry: Buffer | null = null;
  #usage: TokenUsage | null = null;
  #events = 0;
  readonly #scan = new EventScan();
  readonly #text = new DeliveredText();

  constructor(options: StreamOptions) {
    this.#keepUsageChunk = options.keepUsageChunk;
    this.#request = options.request;
    this.#upstreamModel = options.upstreamModel;
  }

  get usage(): TokenUsage | null {
    return this.#usage;
  }

  get events(): number {
    return this.#events;
  }

  countedUsage(): TokenUsage {
    const usage = countChatStream(this.#request.body, this.#upstreamModel, this.#text);
    this.#text.release();
    return usage;
  }

  push(chunk: Buffer): Buffer | null {
    const buf = this.#carry ? Buffer.concat([this.#carry, chunk]) : chunk;
    const scan = this.#scan.run(buf, false, this.#text);
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
    const out = rest ? this.#process(rest, this.#scan.run(rest, true, this.#text)) : null;
    if (this.#usage !== null) this.#text.release();
    return out;
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
