// A tiny OpenAI-compatible provider on node:http for tests; behaviour is chosen by directives in the
// upstream model name after '@' (status=NNN, hang, drop=N, chunks=N, chunkDelay=MS, garbage).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

export interface FakeUpstream {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Resolves when the provider saw the caller's connection close before it finished answering. */
  aborted(): Promise<void>;
  close(): Promise<void>;
}

const reply = 'Hello from the fake provider';

function directives(model: string): Map<string, string> {
  const out = new Map<string, string>();
  const at = model.indexOf('@');
  if (at === -1) return out;
  for (const part of model.slice(at + 1).split(',')) {
    const [k, v] = part.split('=');
    out.set(k, v ?? 'true');
  }
  return out;
}

function words(messages: unknown): number {
  let n = 0;
  for (const m of (messages as { content?: unknown }[]) ?? []) {
    if (typeof m.content === 'string') n += m.content.split(/\s+/).filter(Boolean).length;
  }
  return n;
}

export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: SeenRequest[] = [];
  let abortWaiters: (() => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      const d = directives(String(body.model ?? ''));
      const usage = {
        prompt_tokens: words(body.messages),
        completion_tokens: 5,
        total_tokens: words(body.messages) + 5,
      };
      res.on('close', () => {
        if (!res.writableFinished) {
          for (const w of abortWaiters) w();
          abortWaiters = [];
        }
      });

      if (d.has('hang')) return;
      const status = Number(d.get('status') ?? 200);
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `upstream says ${status}`, type: 'x', code: null } }));
        return;
      }
      if (d.has('garbage')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('this is not json');
        return;
      }
      if (!body.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            model: body.model,
            choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }],
            usage,
          }),
        );
        return;
      }
      const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
      const parts = Number(d.get('chunks') ?? 5);
      const delay = Number(d.get('chunkDelay') ?? 0);
      const dropAfter = d.has('drop') ? Number(d.get('drop')) : -1;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let i = 0;
      const next = () => {
        if (res.destroyed) return;
        if (i === dropAfter) {
          // Let the chunks reach the gateway first, as a real mid-stream failure would.
          setTimeout(() => res.socket?.destroy(), 30);
          return;
        }
        if (i < parts) {
          const chunk = {
            id: 'chatcmpl-1',
            object: 'chat.completion.chunk',
            choices: [{ index: 0, delta: { content: `w${i} ` }, finish_reason: null }],
            ...(includeUsage ? { usage: null } : {}),
          };
          res.write(`data: ${JSON.stringify(chunk)}\n\n`);
          i++;
          if (delay) setTimeout(next, delay);
          else next();
          return;
        }
        if (includeUsage) {
          res.write(
            `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [], usage })}\n\n`,
          );
        }
        res.end('data: [DONE]\n\n');
      };
      next();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    aborted: () => new Promise((resolve) => abortWaiters.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port with nothing listening (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}
