// graphql-ws on the HTTP server's /graphql path: the data planes' configSync channel.
import type { Server } from 'node:http';
import { closeCodes, syncProtocolVersion } from '@gw/schema';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { WebSocketServer } from 'ws';
import { type Context, createContext, type Deps } from './context.ts';
import { AppError } from './errors.ts';
import type { OperationGuard } from './graphql/operation-guard.ts';
import type { ResponseCap } from './graphql/response-size.ts';
import { maxBodyBytes } from './http/body.ts';
import { clientAddress } from './http/client-address.ts';
import { serveGraphqlWs } from './ws-server.ts';

type Formatter = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** WebSocket close code "Try Again Later": graphql-ws clients reconnect after it (unlike 4500, which is fatal). */
const tryAgainLater = 1013;

const isUnavailable = (err: unknown) => err instanceof AppError && err.code === 'SERVICE_UNAVAILABLE';

function authorizationOf(params: Record<string, unknown> | undefined): string | null {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : null;
}

/** The checks HTTP requests get too (graphql/operation-guard.ts, graphql/response-size.ts). */
interface Limits {
  guard: OperationGuard;
  responseCap: ResponseCap;
}

export function attachWebSocket(server: Server, schema: GraphQLSchema, deps: Deps, format: Formatter, limits: Limits) {
  // A message holds one operation: no larger than an HTTP request body may be.
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: maxBodyBytes });
  const log = deps.logger.child({ component: 'ws' });
  const served = serveGraphqlWs(
    wss,
    {
      schema,
      /**
       * Unknown tokens are refused at the handshake; graphql-ws closes with 4403 when this returns false. A session
       * or API token stays watched while the socket is open, and closes it once it no longer stands (4403 too).
       */
      onConnect: async (ctx) => {
        // Thrown here, it would be logged as an internal error and close the socket with 4500.
        const caller = await deps.liveCredentials
          .admit(ctx.extra.socket, authorizationOf(ctx.connectionParams))
          .catch((err: unknown) => {
            if (!isUnavailable(err)) throw err;
            ctx.extra.socket.close(tryAgainLater, 'Service unavailable');
            return null;
          });
        if (caller === null) return false;
        if (caller.kind === 'anonymous') {
          log.warn(
            { remote: clientAddress(ctx.extra.request, deps.config.trustedProxies) },
            'websocket refused: bad or missing token',
          );
          return false;
        }
        // The connection_ack payload states the sync protocol this control plane speaks (PROTOCOL.md).
        return { protocol: syncProtocolVersion };
      },
      // The upgrade request's address: logins over the socket are throttled like those over HTTP.
      context: async (ctx) => {
        const remote = clientAddress(ctx.extra.request, deps.config.trustedProxies);
        try {
          return await createContext(authorizationOf(ctx.connectionParams), deps, remote);
        } catch (err) {
          if (!isUnavailable(err)) throw err;
          // Thrown, this would be logged as an internal error and close the socket with 4500. The socket is closed
          // "try again later" instead; the operation, already under way, runs anonymous and its answer is dropped.
          ctx.extra.socket.close(tryAgainLater, 'Service unavailable');
          return createContext(null, deps, remote);
        }
      },
      onSubscribe: (_ctx, _id, payload) => limits.guard.prepare(payload),
      onNext: (_ctx, _id, payload, args, result) => {
        const formatted = result.errors?.length
          ? { ...result, errors: result.errors.map((e) => format(e.toJSON(), e)) }
          : result;
        const cap = limits.responseCap;
        if (cap.exempt((args.contextValue as Context).caller)) return formatted;
        return cap.oversize(JSON.stringify(formatted), payload.operationName) ?? formatted;
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => format(e.toJSON(), e)),
    },
    log,
  );
  // Keep the contract's close code and graphql-ws's default in step; a mismatch would be a silent protocol change.
  if (closeCodes.forbidden !== 4403) throw new Error('closeCodes.forbidden must be 4403 (graphql-ws Forbidden)');
  return { close: () => served.close() };
}
