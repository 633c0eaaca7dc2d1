// Turns a request body into JSON the gateway can safely hold and re-serialise for the provider: valid UTF-8,
// nested no deeper than maxJsonDepth (JSON.stringify recurses and would overflow the stack), numbers finite.
import { isUtf8 } from 'node:buffer';
import { GatewayError } from '../errors.ts';

/**
 * Far deeper than real requests need (a tool's JSON schema nests a few dozen levels), far shallower than the few
 * thousand levels at which JSON.stringify overflows the stack.
 */
export const maxJsonDepth = 128;

export function parseJsonBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  // Decoding turns invalid bytes into U+FFFD; only a body holding one needs the exact (slower) check.
  if (text.includes('\uFFFD') && !isUtf8(raw)) {
    throw new GatewayError('caller_invalid_json', 'The request body is not valid UTF-8.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GatewayError('caller_invalid_json', 'The request body is not valid JSON.');
  }
  const problem = shapeProblem(parsed);
  if (problem) throw new GatewayError('caller_invalid_request', problem);
  return parsed;
}

/**
 * Walks the parsed value with an explicit stack (no recursion, so any depth is safe to inspect) and stops at the
 * first problem. Its cost follows the number of arrays and objects, not the bytes: long strings cost nothing.
 */
function shapeProblem(root: unknown): string | null {
  if (typeof root !== 'object' || root === null) return null;
  const values: object[] = [root];
  const depths: number[] = [1];
  /** Queues an array or object one level down; false for a number JSON cannot carry. */
  const visit = (child: unknown, depth: number): boolean => {
    if (typeof child === 'object' && child !== null) {
      values.push(child);
      depths.push(depth + 1);
    } else if (typeof child === 'number' && !Number.isFinite(child)) return false;
    return true;
  };
  while (values.length > 0) {
    const value = values.pop() as object;
    const depth = depths.pop() as number;
    if (depth > maxJsonDepth) {
      return `The request body nests arrays and objects more than ${maxJsonDepth} levels deep.`;
    }
    let finite = true;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length && finite; i++) finite = visit(value[i], depth);
    } else {
      for (const key in value) {
        finite = visit((value as Record<string, unknown>)[key], depth);
        if (!finite) break;
      }
    }
    // JSON.parse reads 1e999 as Infinity, which JSON.stringify would send on as null.
    if (!finite) return 'The request body holds a number too large to represent (such as 1e999).';
  }
  return null;
}
