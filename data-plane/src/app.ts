// The h3 app (routes, method checks, the central error handler for anything nobody handled) and, in front of it, the
// node:http lane that serves the proxied routes without h3's adapter.
import { randomUUID } from 'node:crypto';
import { H3, type H3Event, HTTPError } from 'h3';
import { errorResponse, GatewayError, internalError } from './errors.ts';
import { Pipeline } from './pipeline/run.ts';
import { chatCompletions, chatCompletionsEndpoint } from './routes/chat-completions.ts';
import type { AppDeps } from './routes/deps.ts';
import { healthz, metrics, readyz } from './routes/health.ts';
import { listModels } from './routes/models.ts';
import { type NodeLane, proxyLane, type UnhandledError } from './routes/proxy-lane.ts';

type Handler = (event: H3Event) => Response | Promise<Response>;

/** One route, one set of methods; anything else is 405 with `allow`, in the gateway's error shape. */
function only(methods: string[], handler: Handler): Handler {
  const allow = methods.join(', ');
  return (event) => {
    if (methods.includes(event.req.method)) return handler(event);
    return errorResponse(
      new GatewayError(
        'caller_method_not_allowed',
        `Method ${event.req.method} is not allowed here; use ${allow}.`,
        null,
        {
          headers: { allow },
        },
      ),
    );
  };
}

/** h3's own rejections (e.g. a malformed URL) mapped onto the closed list of codes. */
function fromHttpError(error: HTTPError): GatewayError {
  if (error.status === 404) return new GatewayError('caller_route_not_found', 'No such route.');
  if (error.status === 405) return new GatewayError('caller_method_not_allowed', 'Method not allowed.');
  if (error.status === 413) return new GatewayError('caller_body_too_large', 'Request body is too large.');
  if (error.status === 415) return new GatewayError('caller_unsupported_media_type', 'Unsupported media type.');
  if (error.status >= 400 && error.status < 500) return new GatewayError('caller_invalid_request', 'Invalid request.');
  return internalError(error);
}

export interface GatewayApp {
  readonly app: H3;
  /** Serves the proxied routes on node:http before the app sees them. */
  readonly lane: NodeLane;
}

export function createApp(deps: AppDeps): GatewayApp {
  const unhandled: UnhandledError = (err, method, path) => {
    const requestId = randomUUID();
    deps.logger.error({ err, requestId, method, path }, 'unhandled error');
    deps.onUnhandledError?.(err);
    return errorResponse(internalError(err), requestId);
  };
  const app = new H3({
    // We log through pino ourselves; h3 must not print stack traces to stderr.
    silent: true,
    onError(error, event) {
      const cause = error.cause;
      if (cause instanceof GatewayError) return errorResponse(cause, randomUUID());
      if (!error.unhandled && HTTPError.isError(error)) return errorResponse(fromHttpError(error), randomUUID());
      return unhandled(cause ?? error, event.req.method, event.url.pathname);
    },
  });

  const notFound: Handler = (event) =>
    errorResponse(
      new GatewayError('caller_route_not_found', `No route for ${event.req.method} ${event.url.pathname}.`),
    );

  const pipeline = new Pipeline(deps);
  app.all('/v1/chat/completions', only(['POST'], chatCompletions(pipeline)));
  app.all('/v1/models', only(['GET', 'HEAD'], listModels(pipeline)));
  app.all('/healthz', only(['GET', 'HEAD'], healthz));
  app.all('/readyz', only(['GET', 'HEAD'], readyz(deps)));
  app.all('/metrics', only(['GET'], metrics(deps)));
  app.all('/**', notFound);
  return { app, lane: proxyLane(pipeline, [chatCompletionsEndpoint], unhandled) };
}
