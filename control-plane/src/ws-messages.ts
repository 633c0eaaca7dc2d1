// What a graphql-ws client may send, screened before graphql-ws handles it. graphql-ws throws on a message of a type
// only a server sends (an "internal error": a stack on the console and a 4500 close), and echoes a ping's payload in
// its pong, where JSON.stringify overflows the stack on deeply nested JSON.
import { MessageType } from 'graphql-ws';
import { maxJsonDepth } from './graphql/input-limits.ts';

const clientTypes = new Set<string>([
  MessageType.ConnectionInit,
  MessageType.Ping,
  MessageType.Pong,
  MessageType.Subscribe,
  MessageType.Complete,
]);

/**
 * Messages whose payload graphql-ws echoes or keeps for the connection's life. A subscribe payload is not bounded
 * here: its variables get the operation guard's input limits, answered as BAD_USER_INPUT like over HTTP.
 */
const boundedPayloads = new Set<string>([MessageType.ConnectionInit, MessageType.Ping, MessageType.Pong]);

/** Whether `value` nests deeper than `levels` arrays and objects; looks no further than that. */
function deeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (levels === 0) return true;
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.some((item) => deeperThan(item, levels - 1));
}

/**
 * Why `text` is not a message a client may send, or null. Shapes (ids, payload types) are graphql-ws's to check: it
 * closes with 4400 on those itself. The reason names no client data: it goes to the log.
 */
export function clientMessageProblem(text: string): string | null {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (message === null || typeof message !== 'object' || Array.isArray(message)) return 'not a JSON object';
  const { type, payload } = message as { type?: unknown; payload?: unknown };
  if (typeof type !== 'string' || !clientTypes.has(type)) return 'not a message type a client sends';
  if (boundedPayloads.has(type) && deeperThan(payload, maxJsonDepth)) {
    return `payload nested more than ${maxJsonDepth} levels deep`;
  }
  return null;
}
