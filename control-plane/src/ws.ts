// graphql-ws on the HTTP server's /graphql path: the data planes' configSync channel.
import type { Server } from 'node:http';
import { closeCodes } from '@gw/schema';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { callerOf, createContext, type Deps } from './context.ts';
import { AppError } from './errors.ts';

type Formatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** WebSocket close code "Try Again Later": graphql-ws clients reconnect after it (unlike 4500, which is fatal). */
const tryAgainLater = 1013;

const isUnavailable = (err: unknown) => err instanceof AppError && err.code === 'SERVICE_UNAVAILABLE';

function authorizationOf(params: Record<string, unknown> | undefined): string | null {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : null;
}

export function attachWebSocket(server: Server, schema: GraphQLSchema, deps: Deps, format: Formatter) {
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const log = deps.logger.child({ component: 'ws' });
  const disposable = useServer(
    {
      schema,
      /** Unknown tokens are refused at the handshake; graphql-ws closes with 4403 when this returns false. */
      onConnect: async (ctx) => {
        // Thrown here, graphql-ws would print the stack and close with 4500 and the error's text.
        const caller = await callerOf(authorizationOf(ctx.connectionParams), deps, deps.orm.em.fork()).catch(
          (err: unknown) => {
            if (!isUnavailable(err)) throw err;
            ctx.extra.socket.close(tryAgainLater, 'Service unavailable');
            return null;
          },
        );
        if (caller === null) return false;
        if (caller.kind === 'anonymous') {
          log.warn({ remote: ctx.extra.request.socket.remoteAddress }, 'websocket refused: bad or missing token');
          return false;
        }
        return true;
      },
      context: async (ctx) => {
        try {
          return await createContext(authorizationOf(ctx.connectionParams), deps);
        } catch (err) {
          if (!isUnavailable(err)) throw err;
          // Thrown, this would be printed with its stack and close the socket with 4500. The socket is closed
          // "try again later" instead; the operation, already under way, runs anonymous and its answer is dropped.
          ctx.extra.socket.close(tryAgainLater, 'Service unavailable');
          return createContext(null, deps);
        }
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return;
        return { ...result, errors: result.errors.map((e) => format(e.toJSON(), e)) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => format(e.toJSON(), e)),
    },
    wss,
  );
  // Keep the contract's close code and graphql-ws's default in step; a mismatch would be a silent protocol change.
  if (closeCodes.forbidden !== 4403) throw new Error('closeCodes.forbidden must be 4403 (graphql-ws Forbidden)');
  return {
    async close(): Promise<void> {
      await disposable.dispose();
      // dispose() asks each socket to close; a peer that never answers the close frame must not hold shutdown up.
      for (const socket of wss.clients) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
