// A small graphql-transport-ws client for tests (Node's own WebSocket): connect, subscribe, complete, close, and
// see exactly how the server answered, refusals and close codes included.

export interface WsMessage {
  id?: string;
  type: string;
  payload?: unknown;
}

export interface WsClose {
  code: number;
  reason: string;
}

export interface GqlSocket {
  /** Every message the server sent, in order. */
  messages: WsMessage[];
  /** Resolves when the socket closes, with the server's close code and reason. */
  closed: Promise<WsClose>;
  /** Starts an operation; resolves with its first `next` or `error` message, or null if it completed first. */
  subscribe(id: string, query: string, variables?: Record<string, unknown>): Promise<WsMessage | null>;
  complete(id: string): void;
  close(): Promise<WsClose>;
}

/** Sends connection_init with `authorization` (if any); resolves once acknowledged, or rejects with the close. */
export async function connectGqlSocket(
  url: string,
  authorization?: string,
  opts: { timeoutMs?: number } = {},
): Promise<GqlSocket> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const messages: WsMessage[] = [];
  const waiters: { match: (m: WsMessage) => boolean; resolve: (m: WsMessage | null) => void }[] = [];
  const closed = new Promise<WsClose>((resolve) => {
    ws.addEventListener('close', (e) => {
      for (const w of waiters.splice(0)) w.resolve(null);
      resolve({ code: e.code, reason: e.reason });
    });
  });
  ws.addEventListener('error', () => {});
  ws.addEventListener('message', (e) => {
    const message = JSON.parse(String(e.data)) as WsMessage;
    messages.push(message);
    if (message.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
    for (let i = 0; i < waiters.length; i += 1) {
      if (!waiters[i].match(message)) continue;
      waiters.splice(i, 1)[0].resolve(message);
      break;
    }
  });
  const next = (match: (m: WsMessage) => boolean) =>
    new Promise<WsMessage | null>((resolve) => {
      const seen = messages.find(match);
      if (seen) resolve(seen);
      else waiters.push({ match, resolve });
    });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const timer = setTimeout(() => ws.close(), timeoutMs);
  try {
    await new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => resolve());
      void closed.then((c) => reject(Object.assign(new Error(`closed before open: ${c.code}`), c)));
    });
    ws.send(JSON.stringify({ type: 'connection_init', payload: authorization ? { authorization } : {} }));
    const ack = await next((m) => m.type === 'connection_ack');
    if (!ack) {
      const c = await closed;
      throw Object.assign(new Error(`closed before connection_ack: ${c.code} ${c.reason}`), c);
    }
  } finally {
    clearTimeout(timer);
  }
  return {
    messages,
    closed,
    subscribe(id, query, variables) {
      ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query, variables } }));
      return next((m) => m.id === id && ['next', 'error', 'complete'].includes(m.type)).then((m) =>
        m?.type === 'complete' ? null : m,
      );
    },
    complete(id) {
      ws.send(JSON.stringify({ id, type: 'complete' }));
    },
    close() {
      ws.close(1000);
      return closed;
    },
  };
}
