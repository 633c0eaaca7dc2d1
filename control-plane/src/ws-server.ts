// graphql-ws served on a `ws` server: the binding graphql-ws/use/ws would make, except that every client message is
// screened first (ws-messages.ts) and a bad one closes the socket as the client's fault (4400, a warning), and that
// nothing is printed to the console: failures go to the log, and are closed without their text reaching the client.
import type { IncomingMessage } from 'node:http';
import { CloseCode, type ConnectionInitMessage, handleProtocols, makeServer, type ServerOptions } from 'graphql-ws';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import { spliceFrame } from './sync/frames.ts';
import { clientMessageProblem } from './ws-messages.ts';

export interface Extra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}

/** The server pings each socket this often, and drops it when no pong came back before the next ping (as use/ws). */
const keepAliveMs = 12_000;

/**
 * Serves graphql-ws on `wss`. close() stops accepting sockets, says "going away" (1001) to every open one and
 * resolves once they are closed (ws drops a peer that does not answer the close frame within 30 s).
 */
export function serveGraphqlWs<P extends ConnectionInitMessage['payload']>(
  wss: WebSocketServer,
  options: ServerOptions<P, Extra>,
  log: Logger,
) {
  const server = makeServer(options);
  wss.options.handleProtocols = handleProtocols;
  wss.on('error', (err) => log.error({ err }, 'websocket server error'));
  wss.on('connection', (socket, request) => {
    const remote = request.socket.remoteAddress;
    // ws closes a socket that breaks the framing (an oversize or malformed frame: 1009, 1002…) and then emits
    // 'error'. It is the client's fault: a warning.
    socket.on('error', (err: Error & { code?: string }) => {
      log.warn({ remote, code: err.code, reason: err.message }, 'websocket protocol error');
    });
    let pongWait: NodeJS.Timeout | undefined;
    const keepAlive = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
      socket.once('pong', () => clearTimeout(pongWait));
      socket.ping();
    }, keepAliveMs);
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise<void>((resolve, reject) => {
            // A config sync message goes out as the JSON serialized once for every subscriber (sync/frames.ts).
            const text = spliceFrame(data);
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(text, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on('message', async (data) => {
            const text = String(data);
            const problem = clientMessageProblem(text);
            if (problem) {
              log.warn({ remote, reason: problem }, 'websocket message refused');
              socket.close(CloseCode.BadRequest, 'Invalid message received');
              return;
            }
            try {
              await handle(text);
            } catch (err) {
              // The peer went away while it was being answered: nothing left to tell it.
              if (socket.readyState !== socket.OPEN) {
                log.warn({ remote, reason: err instanceof Error ? err.message : String(err) }, 'websocket gone');
                return;
              }
              log.error({ err, remote }, 'graphql-ws message handling failed');
              socket.close(CloseCode.InternalServerError, 'Internal server error');
            }
          }),
      },
      { socket, request },
    );
    socket.once('close', (code, reason) => {
      clearInterval(keepAlive);
      clearTimeout(pongWait);
      closed(code, String(reason)).catch((err: unknown) => log.error({ err, remote }, 'websocket close failed'));
    });
  });
  return {
    async close(): Promise<void> {
      wss.removeAllListeners('connection');
      for (const socket of wss.clients) socket.close(1001, 'Going away');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
