// Hand-written checks of an OpenAI chat-completions body: cheap, precise `param`, and never clamps a value.
import { unstorableTextReason } from '@gw/schema';
import { type Decision, deny } from '../policy/decision.ts';
import type { ChatRequest } from '../providers/types.ts';

const roles = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const invalid = (param: string, message: string) => deny('caller_invalid_request', message, param);

/** Optional numeric field: absent or null means "provider default". */
function checkNumber(
  body: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
  integer = false,
): ReturnType<typeof invalid> | null {
  const v = body[name];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || (integer && !Number.isInteger(v))) {
    return invalid(name, `'${name}' must be ${integer ? 'an integer' : 'a number'}.`);
  }
  if (v < min || v > max) return invalid(name, `'${name}' must be between ${min} and ${max} (got ${v}).`);
  return null;
}

function checkMessage(m: unknown, i: number): ReturnType<typeof invalid> | null {
  const at = `messages[${i}]`;
  if (!isObject(m)) return invalid(at, `'${at}' must be an object with 'role' and 'content'.`);
  const role = m.role;
  if (typeof role !== 'string') return invalid(`${at}.role`, `'${at}.role' is required and must be a string.`);
  if (!roles.has(role)) {
    return invalid(`${at}.role`, `'${at}.role' must be one of ${[...roles].join(', ')} (got "${role}").`);
  }
  const content = m.content;
  const hasToolCalls = m.tool_calls !== undefined || m.function_call !== undefined;
  if (content === undefined || content === null) {
    // Only an assistant turn that calls tools may omit its text.
    if (role === 'assistant' && hasToolCalls) return null;
    return invalid(`${at}.content`, `'${at}.content' is required.`);
  }
  if (typeof content === 'string') return null;
  if (Array.isArray(content)) {
    if (content.length === 0) return invalid(`${at}.content`, `'${at}.content' must not be an empty array.`);
    for (let j = 0; j < content.length; j++) {
      const part = content[j];
      if (!isObject(part) || typeof part.type !== 'string') {
        return invalid(`${at}.content[${j}]`, `'${at}.content[${j}]' must be an object with a string 'type'.`);
      }
    }
    return null;
  }
  return invalid(`${at}.content`, `'${at}.content' must be a string or an array of content parts.`);
}

export function validateChatRequest(parsed: unknown): Decision<{ request: ChatRequest }> {
  if (!isObject(parsed)) return deny('caller_invalid_request', 'The request body must be a JSON object.');
  const body = parsed;

  const model = body.model;
  if (model === undefined || model === null) return invalid('model', "'model' is required.");
  if (typeof model !== 'string' || model.length === 0) return invalid('model', "'model' must be a non-empty string.");
  if (model.length > 256) return invalid('model', "'model' must be at most 256 characters.");
  const unstorable = unstorableTextReason(model);
  if (unstorable) return invalid('model', `'model' ${unstorable}.`);

  const messages = body.messages;
  if (messages === undefined || messages === null) return invalid('messages', "'messages' is required.");
  if (!Array.isArray(messages)) return invalid('messages', "'messages' must be an array.");
  if (messages.length === 0) return invalid('messages', "'messages' must contain at least one message.");
  for (let i = 0; i < messages.length; i++) {
    const problem = checkMessage(messages[i], i);
    if (problem) return problem;
  }

  const stream = body.stream;
  if (stream !== undefined && stream !== null && typeof stream !== 'boolean') {
    return invalid('stream', "'stream' must be a boolean.");
  }
  const streaming = stream === true;
  let includeUsage = false;
  const streamOptions = body.stream_options;
  if (streamOptions !== undefined && streamOptions !== null) {
    if (!streaming) return invalid('stream_options', "'stream_options' is only allowed when 'stream' is true.");
    if (!isObject(streamOptions)) return invalid('stream_options', "'stream_options' must be an object.");
    const iu = streamOptions.include_usage;
    if (iu !== undefined && iu !== null && typeof iu !== 'boolean') {
      return invalid('stream_options.include_usage', "'stream_options.include_usage' must be a boolean.");
    }
    includeUsage = iu === true;
  }

  const numeric =
    checkNumber(body, 'temperature', 0, 2) ??
    checkNumber(body, 'top_p', 0, 1) ??
    checkNumber(body, 'presence_penalty', -2, 2) ??
    checkNumber(body, 'frequency_penalty', -2, 2) ??
    checkNumber(body, 'n', 1, 128, true) ??
    checkNumber(body, 'max_tokens', 1, Number.MAX_SAFE_INTEGER, true) ??
    checkNumber(body, 'max_completion_tokens', 1, Number.MAX_SAFE_INTEGER, true) ??
    checkNumber(body, 'top_logprobs', 0, 20, true) ??
    checkNumber(body, 'seed', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true);
  if (numeric) return numeric;

  const stop = body.stop;
  if (stop !== undefined && stop !== null && typeof stop !== 'string') {
    if (!Array.isArray(stop) || stop.length > 4 || !stop.every((s) => typeof s === 'string')) {
      return invalid('stop', "'stop' must be a string or an array of at most 4 strings.");
    }
  }
  if (body.user !== undefined && body.user !== null && typeof body.user !== 'string') {
    return invalid('user', "'user' must be a string.");
  }
  if (body.logprobs !== undefined && body.logprobs !== null && typeof body.logprobs !== 'boolean') {
    return invalid('logprobs', "'logprobs' must be a boolean.");
  }
  if (body.tools !== undefined && body.tools !== null && !Array.isArray(body.tools)) {
    return invalid('tools', "'tools' must be an array.");
  }
  if (body.response_format !== undefined && body.response_format !== null) {
    const rf = body.response_format;
    if (!isObject(rf) || typeof rf.type !== 'string') {
      return invalid('response_format', "'response_format' must be an object with a string 'type'.");
    }
  }

  return { ok: true, request: { body, model, stream: streaming, includeUsage } };
}
