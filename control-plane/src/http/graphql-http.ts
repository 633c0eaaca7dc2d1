// Bridges node:http requests to Apollo Server's executeHTTPGraphQLRequest (no framework in between).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import { Kind, parse } from 'graphql';
import type { Context } from '../context.ts';
import type { ResponseCap } from '../graphql/response-size.ts';
import type { Logger } from '../logger.ts';
import { BodyTooLargeError, readBody } from './body.ts';

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

function operationName(body: unknown): string | null {
  const name = (body as { operationName?: unknown } | undefined)?.operationName;
  return typeof name === 'string' ? name : null;
}

/** The query text of a POST body or a GET search, when there is one. */
function queryText(body: unknown, url: URL): string | null {
  const query =
    typeof body === 'object' && body !== null ? (body as { query?: unknown }).query : url.searchParams.get('query');
  return typeof query === 'string' ? query : null;
}

/**
 * True when the document holds a subscription. Those are served over WebSocket only, and they are refused before
 * Apollo sees them: graphql's own validation throws (a 500) on a subscription root under `@skip(if: $var)`. Only a
 * text that names `subscription` is parsed here; an unparsable one is left to Apollo to refuse.
 */
function holdsSubscription(query: string | null, maxTokens: number): boolean {
  if (!query?.includes('subscription')) return false;
  try {
    return parse(query, { maxTokens, noLocation: true }).definitions.some(
      (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription',
    );
  } catch {
    return false;
  }
}

export async function handleGraphQL(
  req: IncomingMessage,
  res: ServerResponse,
  apollo: ApolloServer<Context>,
  responseCap: ResponseCap,
  logger: Logger,
  context: () => Promise<Context>,
  maxBody: number,
  maxTokens: number,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown;
  if (req.method === 'POST') {
    let text: string;
    try {
      text = await readBody(req, maxBody);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendError(res, 413, 'BAD_REQUEST', err.message);
      // The client went away before sending its whole body: there is nobody left to answer, and nothing went wrong here.
      if (req.destroyed) return logger.debug('request body aborted by the client');
      throw err;
    }
    if ((headers.get('content-type') ?? '').includes('application/json')) {
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        return sendError(res, 400, 'BAD_REQUEST', 'Request body is not valid JSON');
      }
    } else {
      body = text;
    }
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (holdsSubscription(queryText(body, url), maxTokens)) {
    return sendError(
      res,
      400,
      'BAD_REQUEST',
      'Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql',
    );
  }
  let caller: Context['caller'] | undefined;
  const result = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context: async () => {
      const ctx = await context();
      caller = ctx.caller;
      return ctx;
    },
  });
  for (const [key, value] of result.headers) res.setHeader(key, value);
  res.statusCode = result.status ?? 200;
  if (result.body.kind === 'complete') {
    const oversize = responseCap.exempt(caller) ? null : responseCap.oversize(result.body.string, operationName(body));
    res.end(oversize ? JSON.stringify(oversize) : result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}
