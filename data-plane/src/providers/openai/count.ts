// Counts an OpenAI chat stream that ended without the provider's usage: the request's prompt the way OpenAI's chat
// format counts it, and the text the stream relayed. Slow path only; never throws (usage/token-count.ts).
import { createRequire } from 'node:module';
import { estimateTokens, TokenCounter } from '../../usage/token-count.ts';
import type { TokenUsage } from '../types.ts';
import type { DeliveredText } from './delivered-text.ts';

/**
 * OpenAI's chat accounting (its cookbook's "counting tokens for chat completions", as gpt-tokenizer implements it):
 * each message costs 3 tokens besides its role and content, a name 1 more, a function call 3 besides its name and
 * arguments, the answer is primed with 3, the tool definitions cost 9 besides their TypeScript-like rendering (4 less
 * when a system message is there).
 */
const perMessage = 3;
const perName = 1;
const perCall = 3;
const priming = 3;
const perDefinitions = 9;
const definitionsWithSystem = -4;
const functionRole = -2;

interface FunctionDefinition {
  name: string;
  description?: string;
  parameters?: unknown;
}

type FormatDefinitions = (functions: FunctionDefinition[]) => string;

const requireLazily = createRequire(import.meta.url);
let formatDefinitions: FormatDefinitions | null | undefined;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** A string content, or the text (and refusal) parts of an array; images, audio and files are not counted. */
function contentTokens(content: unknown, counter: TokenCounter): number {
  if (typeof content === 'string') return counter.count(content);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const part of content) {
    if (!isObject(part)) continue;
    if (part.type === 'text') tokens += counter.count(text(part.text));
    else if (part.type === 'refusal') tokens += counter.count(text(part.refusal));
  }
  return tokens;
}

function callTokens(call: unknown, counter: TokenCounter): number {
  if (!isObject(call)) return 0;
  return counter.count(text(call.name)) + counter.count(text(call.arguments)) + perCall;
}

/** The functions a request offers: `tools` of type function, or the legacy `functions`. */
function definitions(body: Record<string, unknown>): unknown[] {
  if (Array.isArray(body.tools)) return body.tools.map((t) => (isObject(t) ? t.function : undefined));
  return Array.isArray(body.functions) ? body.functions : [];
}

function definitionsTokens(functions: unknown[], counter: TokenCounter): number {
  if (formatDefinitions === undefined) {
    try {
      formatDefinitions = (
        requireLazily('gpt-tokenizer/cjs/functionCalling') as { formatFunctionDefinitions: FormatDefinitions }
      ).formatFunctionDefinitions;
    } catch {
      formatDefinitions = null;
    }
  }
  const valid = functions.every((f) => isObject(f) && typeof f.name === 'string');
  try {
    if (formatDefinitions !== null && valid) {
      return counter.count(formatDefinitions(functions as FunctionDefinition[])) + perDefinitions;
    }
  } catch {
    // a schema the rendering does not understand: counted as its JSON below
  }
  return counter.count(JSON.stringify(functions)) + perDefinitions;
}

/** Prompt tokens of a validated chat-completions body (messages is a non-empty array of objects). */
export function chatPromptTokens(body: Record<string, unknown>, counter: TokenCounter): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let tokens = priming;
  let system = false;
  for (const m of messages) {
    if (!isObject(m)) continue;
    const role = text(m.role);
    if (role === 'system') system = true;
    tokens += perMessage + counter.count(role) + contentTokens(m.content, counter);
    if (typeof m.name === 'string') tokens += counter.count(m.name) + perName;
    if (typeof m.refusal === 'string') tokens += counter.count(m.refusal);
    if (Array.isArray(m.tool_calls)) {
      for (const call of m.tool_calls) tokens += isObject(call) ? callTokens(call.function, counter) : 0;
    }
    if (m.function_call !== undefined) tokens += callTokens(m.function_call, counter);
    if (role === 'function') tokens += functionRole;
  }
  const functions = definitions(body);
  if (functions.length > 0) {
    tokens += definitionsTokens(functions, counter);
    if (system) tokens += definitionsWithSystem;
  }
  return tokens;
}

/** The usage of a stream that ended without the provider's: counted prompt, counted relayed text, nothing cached. */
export function countChatStream(body: Record<string, unknown>, model: string, delivered: DeliveredText): TokenUsage {
  const output = delivered.text();
  try {
    return {
      inputTokens: chatPromptTokens(body, new TokenCounter(model)),
      outputTokens: new TokenCounter(model).count(output) + estimateTokens(delivered.overflowBytes),
      cachedInputTokens: 0,
    };
  } catch {
    // Not expected (the counter never throws); the bill must still not be 0.
    return {
      inputTokens: estimateTokens(Buffer.byteLength(JSON.stringify(body.messages ?? ''))),
      outputTokens: estimateTokens(Buffer.byteLength(output) + delivered.overflowBytes),
      cachedInputTokens: 0,
    };
  }
}
