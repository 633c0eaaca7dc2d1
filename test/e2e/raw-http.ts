// A client that speaks HTTP/1.1 over a bare socket, byte by byte if need be: for clients that are slow, silent
// or hold connections, which fetch cannot imitate.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class RawConnection {
  readonly socket: Socket;
  /** Resolves when the server (or the network) closed the connection, with everything the server sent. */
  readonly closed: Promise<{ received: string; error: string | null }>;
  #received = '';
  #consumed = 0;
  #waiters: (() => void)[] = [];
  #error: string | null = null;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      this.#received += d;
      this.#wake();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.#error = e.code ?? e.message;
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.#wake();
        resolve({ received: this.#received, error: this.#error });
      }),
    );
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
    });
  }

  get isClosed(): boolean {
    return this.socket.destroyed || this.socket.readyState === 'closed';
  }

  write(text: string): void {
    if (this.socket.writable) this.socket.write(text);
  }

  /** Writes `text` one piece every `everyMs` until it is all sent or the connection closes. */
  trickle(text: string, everyMs: number, pieceBytes = 1): void {
    let at = 0;
    const timer = setInterval(() => {
      if (at >= text.length || !this.socket.writable) {
        clearInterval(timer);
        return;
      }
      this.socket.write(text.slice(at, at + pieceBytes));
      at += pieceBytes;
    }, everyMs);
    this.socket.once('close', () => clearInterval(timer));
  }

  /** The next complete response (content-length bodies only); rejects if the connection closes first. */
  async response(timeoutMs = 10_000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = this.#parse();
      if (parsed) return parsed;
      if (this.isClosed) {
        throw new Error(`connection closed before a whole response (${this.#error ?? 'no error'}): ${this.#rest()}`);
      }
      if (Date.now() > deadline) throw new Error(`no whole response within ${timeoutMs} ms: ${this.#rest()}`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, deadline - Date.now());
        this.#waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }

  #rest(): string {
    return JSON.stringify(this.#received.slice(this.#consumed, this.#consumed + 200));
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  #parse(): RawResponse | null {
    const text = this.#received;
    const end = text.indexOf('\r\n\r\n', this.#consumed);
    if (end === -1) return null;
    const [statusLine, ...lines] = text.slice(this.#consumed, end).split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    if (text.length < end + 4 + length) return null;
    this.#consumed = end + 4 + length;
    return {
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: Buffer.from(text.slice(end + 4, end + 4 + length), 'latin1').toString('utf8'),
    };
  }
}

/** A minimal HTTP/1.1 request; keep-alive is HTTP/1.1's default. */
export function rawRequest(method: string, path: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'host: gateway'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body || method === 'POST') lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
