// Reads token usage from OpenAI answers (a whole JSON body, or one parsed stream chunk).
import type { TokenUsage } from '../types.ts';

function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

/** OpenAI's `usage` object -> our usage; null when absent or not an object. */
export function usageFromOpenAI(usage: unknown): TokenUsage | null {
  if (typeof usage !== 'object' || usage === null) return null;
  const u = usage as Record<string, unknown>;
  const details = u.prompt_tokens_details as Record<string, unknown> | null | undefined;
  const inputTokens = count(u.prompt_tokens);
  return {
    inputTokens,
    outputTokens: count(u.completion_tokens),
    cachedInputTokens: Math.min(inputTokens, count(details?.cached_tokens)),
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/**
 * The `"usage": {...}` object of a JSON answer, cut out by scanning from its last occurrence (OpenAI
 * puts it at the end), so that a long completion is not parsed in full just to read three numbers.
 * Returns undefined when the shortcut does not apply (the caller then parses everything).
 */
function usageSlice(body: Buffer): string | null | undefined {
  const at = body.lastIndexOf('"usage"');
  if (at === -1) return null;
  let i = at + 7;
  while (body[i] === 0x20) i++;
  if (body[i] !== 0x3a) return undefined;
  i++;
  while (body[i] === 0x20) i++;
  if (body[i] !== OPEN) return body.subarray(i, i + 4).toString() === 'null' ? null : undefined;
  let depth = 0;
  let inString = false;
  for (let j = i; j < body.length; j++) {
    const c = body[j];
    if (inString) {
      if (c === BACKSLASH) j++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN) depth++;
    else if (c === CLOSE && --depth === 0) return body.toString('utf8', i, j + 1);
  }
  return undefined;
}

export function openaiChatUsage(body: Buffer): TokenUsage | null {
  try {
    const slice = usageSlice(body);
    if (slice === null) return null;
    if (slice !== undefined) return usageFromOpenAI(JSON.parse(slice));
    const parsed = JSON.parse(body.toString('utf8')) as { usage?: unknown } | null;
    return usageFromOpenAI(parsed?.usage);
  } catch {
    // The body is still relayed as is; only metering loses the numbers.
    return null;
  }
}
