// A graphql-ws (graphql-transport-ws) connection driven message by message, so that the fuzzer can send both
// operations and messages no well-behaved client would.
import { GRAPHQL_TRANSPORT_WS_PROTOCOL } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphQLErrorJson } from './graphql-requests.ts';

export interface Closed {
  code: number;
  reason: string;
}

export interface WsOutcome {
  /** `next` payloads, in order. */
  results: { data?: unknown; errors?: GraphQLErrorJson[] }[];
  /** The `error` message's payload, when the operation was refused. */
  error: GraphQLErrorJson[] | undefined;
  /** Completed by the server (false: a subscription still open when we stopped it). */
  completed: boolean;
}

type Message = { id?: string; type?: string; payload?: unknown };

export class WsSession {
  private readonly waiters = new Map<string, (m: Message) => void>();
  private pongWaiter: (() => void) | undefined;
  closed: Closed | undefined;
  private readonly closedPromise: Promise<Closed>;

  private readonly socket: WebSocket;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    this.closedPromise = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closed = { code, reason: reason.toString() };
        resolve(this.closed);
      });
    });
    socket.on('error', () => {
      // 'close' follows and reports it.
    });
    socket.on('message', (data) => {
      let message: Message;
      try {
        message = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (message.type === 'ping') this.sendRaw(JSON.stringify({ type: 'pong' }));
      else if (message.type === 'pong') this.pongWaiter?.();
      else if (message.id !== undefined) this.waiters.get(message.id)?.(message);
    });
  }

  /**
   * Connects and sends `connection_init` with `payload`; resolves with the session once acknowledged, or with how
   * the server closed the connection.
   */
  static open(url: string, payload: unknown, timeoutMs = 10_000): Promise<WsSession | Closed> {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), GRAPHQL_TRANSPORT_WS_PROTOCOL);
    const session = new WsSession(socket);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.terminate();
        reject(new Error(`no connection_ack nor close within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
      socket.on('message', (data) => {
        if (String(data).includes('"connection_ack"')) {
          clearTimeout(timer);
          resolve(session);
        }
      });
      void session.closedPromise.then((closed) => {
        clearTimeout(timer);
        resolve(closed);
      });
    });
  }

  sendRaw(data: string | Buffer): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(data);
  }

  /**
   * Runs one operation. Queries and mutations wait for `complete` or `error`. A subscription the server accepted
   * stays silent: it is completed by us once two `{ __typename }` queries sent behind it were answered, each
   * needing the same context set-up as the subscription, so that its own answer (or its failure) came first.
   */
  async execute(
    id: string,
    payload: Record<string, unknown>,
    opts: { subscription: boolean; timeoutMs?: number },
  ): Promise<WsOutcome | Closed> {
    const outcome: WsOutcome = { results: [], error: undefined, completed: false };
    const done = new Promise<void>((resolve) => {
      this.waiters.set(id, (m) => {
        if (m.type === 'next') outcome.results.push(m.payload as WsOutcome['results'][number]);
        else if (m.type === 'error') {
          outcome.error = m.payload as GraphQLErrorJson[];
          resolve();
        } else if (m.type === 'complete') {
          outcome.completed = true;
          resolve();
        }
      });
    });
    this.sendRaw(JSON.stringify({ id, type: 'subscribe', payload }));
    const barriers = async () => {
      await this.barrier(`${id}-barrier-1`);
      await this.barrier(`${id}-barrier-2`);
    };
    const settled = opts.subscription ? Promise.race([done, barriers()]) : done;
    const timeoutMs = opts.timeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([settled.then(() => 'ok' as const), this.closedPromise, timeout]);
    clearTimeout(timer);
    this.waiters.delete(id);
    if (result === 'timeout') throw new Error(`no complete or error for operation ${id} within ${timeoutMs} ms`);
    if (result !== 'ok') return result;
    if (!outcome.completed && !outcome.error) this.sendRaw(JSON.stringify({ id, type: 'complete' }));
    return outcome;
  }

  /** Resolves once everything sent before it has been handled: a ping answered and a trivial query completed. */
  async barrier(id: string): Promise<void> {
    const pong = new Promise<void>((resolve) => {
      this.pongWaiter = resolve;
    });
    this.sendRaw(JSON.stringify({ type: 'ping' }));
    await Promise.race([pong, this.closedPromise]);
    await new Promise<void>((resolve) => {
      this.waiters.set(id, (m) => {
        if (m.type === 'complete' || m.type === 'error') resolve();
      });
      void this.closedPromise.then(() => resolve());
      this.sendRaw(JSON.stringify({ id, type: 'subscribe', payload: { query: '{ __typename }' } }));
    });
    this.waiters.delete(id);
  }

  /** Resolves once the server closed the connection, or after `ms` with undefined. */
  async closedWithin(ms: number): Promise<Closed | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      this.closedPromise,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ms);
      }),
    ]);
    clearTimeout(timer);
    return result;
  }

  close(): void {
    this.socket.close(1000);
  }

  terminate(): void {
    this.socket.terminate();
  }
}

export const isClosed = (x: unknown): x is Closed =>
  typeof x === 'object' && x !== null && 'code' in x && 'reason' in x && !('results' in x);
