// Sync messages serialized once, however many data planes receive them: the subscription resolves to a short
// token, and the socket's send splices the message's JSON in place of it (ws-server.ts).
import type { SyncMessage } from '@gw/schema';

const prefix = '@gw-sync-frame:';
/** Tokens resolved but not yet sent; bounded in case a send never happens (a closing socket). */
const waiting = new Map<string, string>();
const maxWaiting = 100_000;
let counter = 0;

/** One message and its JSON, shared by every subscriber it goes to. */
export class Frame {
  readonly message: SyncMessage;
  readonly json: string;

  constructor(message: SyncMessage) {
    this.message = message;
    this.json = JSON.stringify(message);
  }

  /** What the resolver returns: a token send() replaces with the JSON. */
  token(): string {
    const token = `${prefix}${++counter}`;
    waiting.set(token, this.json);
    if (waiting.size > maxWaiting) waiting.delete(waiting.keys().next().value as string);
    return token;
  }
}

/** Replaces a frame token (a JSON string in `data`) with its message's JSON; other data is returned as is. */
export function spliceFrame(data: string): string {
  const at = data.indexOf(`"${prefix}`);
  if (at < 0) return data;
  const end = data.indexOf('"', at + 1);
  const token = data.slice(at + 1, end);
  const json = waiting.get(token);
  if (json === undefined) return data;
  waiting.delete(token);
  return data.slice(0, at) + json + data.slice(end + 1);
}
