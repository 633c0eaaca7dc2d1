// What a data-plane answer must look like, whatever was sent: never 5xx, errors in the OpenAI shape with a code of
// the contract whose status matches, streams that end, and no stack trace anywhere.
import { type ErrorCode, errorCodes } from '@gw/schema';
import { chatPath, type DataPlaneInput } from './data-plane-inputs.ts';
import type { RawResponse } from './raw-http.ts';

const stackTrace = /\bat .+\.(ts|js|mjs|cjs):\d+/;
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Bytes a header value may hold (RFC 9110 field-vchar, SP, HTAB, obs-text). */
const fieldValue = /^[\t\x20-\x7e\u0080-\u{10ffff}]*$/u;
const methods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'PROPFIND']);
/** Node's default limit on the size of a request's head. */
const maxHeadBytes = 16 * 1024;

/**
 * True when Node's HTTP layer may answer the request itself (400, 417 or 431, no body) before the gateway sees it:
 * an unknown method, a header name that is not a token, a value with control characters, a huge head, an
 * `expect` other than 100-continue.
 */
export function refusedByNode(input: DataPlaneInput, sent: { headers: [string, string][] }): boolean {
  if (!methods.has(input.method)) return true;
  // A request target is visible ASCII only: no space, control character or anything past 0x7e.
  if (
    input.path === '' ||
    [...input.path].some((c) => (c.codePointAt(0) ?? 0) <= 0x20 || (c.codePointAt(0) ?? 0) > 0x7e)
  ) {
    return true;
  }
  let headBytes = input.path.length;
  for (const [name, value] of sent.headers) {
    if (!token.test(name) || !fieldValue.test(value)) return true;
    headBytes += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
  }
  const lower = sent.headers.map(([n]) => n.toLowerCase());
  if (sent.headers.some(([n, v]) => n.toLowerCase() === 'expect' && v.toLowerCase() !== '100-continue')) return true;
  // Framing headers of our own next to the client's (content-length / transfer-encoding) are refused as smuggling.
  if (lower.includes('content-length') || lower.includes('transfer-encoding')) return true;
  return headBytes > maxHeadBytes;
}

function errorProblems(res: RawResponse, text: string): string[] {
  const problems: string[] = [];
  if (!(res.headers['content-type'] ?? '').startsWith('application/json')) {
    problems.push(`error answer with content-type ${res.headers['content-type']}`);
  }
  let body: { error?: Record<string, unknown> };
  try {
    body = JSON.parse(text);
  } catch {
    return [...problems, 'error answer is not JSON'];
  }
  const e = body?.error;
  if (!e || typeof e !== 'object') return [...problems, 'error answer without an `error` object'];
  const keys = Object.keys(e).sort().join(',');
  if (keys !== 'code,message,param,type') problems.push(`error object has keys ${keys}`);
  const spec = errorCodes[e.code as ErrorCode];
  if (!spec) problems.push(`error code ${JSON.stringify(e.code)} is not in the contract`);
  else {
    if (spec.status !== res.status)
      problems.push(`code ${e.code} is ${spec.status} in the contract, sent ${res.status}`);
    if (spec.type !== e.type) problems.push(`code ${e.code} has type ${spec.type} in the contract, sent ${e.type}`);
  }
  if (typeof e.message !== 'string' || e.message === '') problems.push('error without a message');
  return problems;
}

/** Every problem with one answer; empty when the answer is acceptable. */
export function answerProblems(
  input: DataPlaneInput,
  sent: { headers: [string, string][] },
  res: RawResponse,
): string[] {
  const text = res.body.toString('utf8');
  const problems: string[] = [];
  if (res.status >= 500) problems.push(`HTTP ${res.status}`);
  if (stackTrace.test(text)) problems.push('a stack trace in the answer');
  const bareRefusal = [400, 417, 431].includes(res.status) && res.body.length === 0;
  if (bareRefusal && refusedByNode(input, sent)) return problems;
  if (res.status >= 400 && input.method !== 'HEAD') problems.push(...errorProblems(res, text));
  const pathname = input.path.split('?')[0];
  if (res.status === 200 && input.method === 'POST' && pathname === chatPath) {
    const type = res.headers['content-type'] ?? '';
    if (type.startsWith('text/event-stream')) {
      // A stream ends with [DONE], or with an error event when it failed midway.
      if (!/data: \[DONE\]\n\n$/.test(text) && !/data: \{"error":.*\n\n$/.test(text)) {
        problems.push(`stream did not end with [DONE] or an error event: …${JSON.stringify(text.slice(-200))}`);
      }
    } else {
      try {
        const completion = JSON.parse(text) as { choices?: unknown };
        if (!Array.isArray(completion.choices)) problems.push('completion without choices');
      } catch {
        problems.push(`200 answer is not JSON: ${JSON.stringify(text.slice(0, 200))}`);
      }
    }
  }
  return problems;
}

/** The data plane meters every chat request whose key it recognised: all but the 401s. */
export function isMetered(input: DataPlaneInput, res: RawResponse): boolean {
  return (
    input.method === 'POST' &&
    input.path.split('?')[0] === chatPath &&
    res.status !== 401 &&
    res.headers['x-request-id'] !== undefined
  );
}
