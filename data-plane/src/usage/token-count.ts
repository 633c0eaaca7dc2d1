// Counts tokens with the model's BPE tokenizer (gpt-tokenizer: o200k_base, or cl100k_base for the models that use
// it), for the slow path only: a stream that ended without the provider's usage. The tokenizer is loaded on first use
// (about 0.25 s and 60 MB resident for o200k_base), so a node that never sees such a stream never pays for it.
// Counting never throws: past a byte budget, or when the tokenizer fails, a text is estimated at bytes / 3.
import { createRequire } from 'node:module';

/** What the gateway uses of a gpt-tokenizer encoding module. */
interface Encoding {
  countTokens(text: string, options: { disallowedSpecial: Set<string> }): number;
}

type EncodingName = 'o200k_base' | 'cl100k_base';

/**
 * Text counted exactly per request (UTF-8 bytes); a text that no longer fits is estimated. BPE is quadratic in the
 * length of a piece, and text without spaces (CJK, base64) makes long pieces: the budget and the segment length
 * below keep the worst case to tens of milliseconds (docs/data-plane.md, "Streams that end early").
 */
export const exactBudgetBytes = 32 * 1024;

/** Longest piece of text handed to the tokenizer at once, in UTF-16 units (see segmentEnd). */
const segmentChars = 128;

/** Special tokens such as `<|endoftext|>` in a caller's text are counted as the plain text they are. */
const plainText = { disallowedSpecial: new Set<string>() };

const requireLazily = createRequire(import.meta.url);
const loaded = new Map<EncodingName, Encoding | null>();
let modelEncodings: Record<string, string> | null | undefined;

function encoding(name: EncodingName): Encoding | null {
  let enc = loaded.get(name);
  if (enc === undefined) {
    try {
      enc = requireLazily(`gpt-tokenizer/cjs/encoding/${name}`) as Encoding;
    } catch {
      enc = null; // estimated from then on: counting must never fail a request's metering
    }
    loaded.set(name, enc);
  }
  return enc;
}

/** gpt-tokenizer's model -> encoding table (loaded with the first count); null when it cannot be loaded. */
function encodingTable(): Record<string, string> | null {
  if (modelEncodings === undefined) {
    try {
      modelEncodings = (requireLazily('gpt-tokenizer/cjs/mapping') as { modelToEncodingMap: Record<string, string> })
        .modelToEncodingMap;
    } catch {
      modelEncodings = null;
    }
  }
  return modelEncodings;
}

/**
 * The encoding of a provider model name: cl100k_base for the models gpt-tokenizer maps to it (gpt-4, gpt-3.5-turbo,
 * text-embedding-*), o200k_base for every other name, known or not. A fine-tune (`ft:gpt-4o-mini:org::id`) counts as
 * its base model.
 */
export function encodingFor(model: string): EncodingName {
  const base = model.startsWith('ft:') ? model.slice(3).split(':', 1)[0] : model;
  return encodingTable()?.[base] === 'cl100k_base' ? 'cl100k_base' : 'o200k_base';
}

/** The conservative estimate: one token per 3 bytes of UTF-8, rounded up. */
export function estimateTokens(bytes: number): number {
  return Math.ceil(bytes / 3);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Where the segment starting at `start` ends: before the last space within segmentChars that follows a non-space,
 * where the tokenizer's own pre-split would also begin a piece (" word"), so the count is the same as the whole
 * text's; without such a space (a long run of CJK, digits or base64), after segmentChars, never inside a surrogate
 * pair.
 */
function segmentEnd(text: string, start: number): number {
  const limit = start + segmentChars;
  if (limit >= text.length) return text.length;
  for (let i = limit; i > start + 1; i--) {
    if (text.charCodeAt(i) === 0x20 && !isSpace(text.charCodeAt(i - 1))) return i;
  }
  const c = text.charCodeAt(limit - 1);
  return c >= 0xd800 && c <= 0xdbff ? limit - 1 : limit;
}

/**
 * Counts the texts of one request with one encoding: exactly while the byte budget lasts, then estimated. Create one
 * per count (it holds the remaining budget).
 */
export class TokenCounter {
  readonly #encoding: Encoding | null;
  #left: number;

  constructor(model: string, budgetBytes = exactBudgetBytes) {
    this.#encoding = encoding(encodingFor(model));
    this.#left = budgetBytes;
  }

  /** Tokens of `text`; never throws. */
  count(text: string): number {
    if (text.length === 0) return 0;
    const bytes = Buffer.byteLength(text);
    const enc = this.#encoding;
    if (enc === null || bytes > this.#left) return estimateTokens(bytes);
    this.#left -= bytes;
    try {
      let tokens = 0;
      for (let start = 0; start < text.length; ) {
        const end = segmentEnd(text, start);
        tokens += enc.countTokens(text.slice(start, end), plainText);
        start = end;
      }
      return tokens;
    } catch {
      return estimateTokens(bytes);
    }
  }
}
