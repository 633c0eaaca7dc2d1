// The two wire formats: how to build a chat request, and how to judge a response (JSON body or SSE stream).
import type { Api, Options } from './options.ts';

export interface PreparedRequest {
  url: string;
  body: string;
  /** Headers without the key; `auth(key)` adds it. */
  headers: Record<string, string>;
  auth: (key: string) => Record<string, string>;
}

export function prepareRequest(base: string, o: Options): PreparedRequest {
  const messages = [{ role: 'user', content: o.prompt }];
  if (o.api === 'anthropic') {
    return {
      url: `${base}/v1/messages`,
      body: JSON.stringify({ model: o.model, max_tokens: o.maxTokens, messages, stream: o.stream }),
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...o.headers },
      auth: (key) => ({ 'x-api-key': key }),
    };
  }
  const body: Record<string, unknown> = { model: o.model, max_tokens: o.maxTokens, messages };
  // Usage in the last chunk, so that streamed output tokens are counted as for JSON answers.
  if (o.stream) Object.assign(body, { stream: true, stream_options: { include_usage: true } });
  return {
    url: `${base}/chat/completions`,
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...o.headers },
    auth: (key) => ({ authorization: `Bearer ${key}` }),
  };
}

/** A failure's group: the HTTP status (0 = no response) and the error code the body or the transport named. */
export interface Failure {
  status: number;
  code: string;
  message: string;
}

/** The error code of an error body: OpenAI's `error.code` (else `error.type`), Anthropic's `error.type`. */
export function errorFromBody(status: number, text: string): Failure {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; type?: unknown; message?: unknown } | string };
    const e = body.error;
    if (e && typeof e === 'object') {
      const code = typeof e.code === 'string' && e.code ? e.code : typeof e.type === 'string' ? e.type : 'unknown';
      return { status, code, message: typeof e.message === 'string' ? e.message : '' };
    }
    if (typeof e === 'string') return { status, code: 'unknown', message: e };
  } catch {
    // not JSON: a proxy's HTML page, say
  }
  return { status, code: 'unknown', message: text.slice(0, 200) };
}

export interface Judged {
  failure: Failure | null;
  outputTokens: number;
}

/** A whole JSON answer with a 2xx status. */
export function judgeJson(api: Api, status: number, text: string): Judged {
  try {
    const body = JSON.parse(text) as { usage?: { completion_tokens?: number; output_tokens?: number } };
    const tokens = api === 'anthropic' ? body.usage?.output_tokens : body.usage?.completion_tokens;
    return { failure: null, outputTokens: typeof tokens === 'number' ? tokens : 0 };
  } catch {
    return { failure: { status, code: 'invalid_json', message: text.slice(0, 200) }, outputTokens: 0 };
  }
}

/**
 * Follows one SSE stream event by event: notes the first output token, the output tokens the stream reports, an
 * error event (a stream that fails midway) and whether the stream ended properly (`[DONE]` / `message_stop`).
 */
export class StreamJudge {
  firstTokenAt: number | null = null;
  outputTokens = 0;
  failure: Failure | null = null;
  done = false;
  private readonly api: Api;
  private readonly status: number;
  private pending = '';
  private event = '';
  private data: string[] = [];

  constructor(api: Api, status: number) {
    this.api = api;
    this.status = status;
  }

  push(chunk: string, now: number): void {
    this.pending += chunk;
    let nl = this.pending.indexOf('\n');
    while (nl >= 0) {
      const line = this.pending.slice(0, nl).replace(/\r$/, '');
      this.pending = this.pending.slice(nl + 1);
      this.line(line, now);
      nl = this.pending.indexOf('\n');
    }
  }

  /** The verdict once the body has ended. */
  end(now: number): Judged {
    this.line('', now);
    if (!this.failure && !this.done) {
      this.failure = {
        status: this.status,
        code: 'stream_incomplete',
        message: 'the stream ended without its end event',
      };
    }
    return { failure: this.failure, outputTokens: this.outputTokens };
  }

  private line(line: string, now: number): void {
    if (line === '') {
      if (this.data.length) this.dispatch(this.event, this.data.join('\n'), now);
      this.event = '';
      this.data = [];
    } else if (line.startsWith('data:')) this.data.push(line.slice(5).trimStart());
    else if (line.startsWith('event:')) this.event = line.slice(6).trim();
  }

  private dispatch(event: string, data: string, now: number): void {
    if (this.api === 'openai' && data === '[DONE]') {
      this.done = true;
      return;
    }
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(data) as Record<string, unknown>;
    } catch {
      this.failure ??= { status: this.status, code: 'invalid_sse', message: data.slice(0, 200) };
      return;
    }
    if (msg.error || event === 'error') {
      this.failure ??= errorFromBody(this.status, data);
      return;
    }
    if (this.api === 'openai') {
      const choices = msg.choices as { delta?: { content?: string } }[] | undefined;
      if (this.firstTokenAt === null && choices?.some((c) => c.delta?.content)) this.firstTokenAt = now;
      const usage = msg.usage as { completion_tokens?: number } | undefined;
      if (typeof usage?.completion_tokens === 'number') this.outputTokens = usage.completion_tokens;
      return;
    }
    const type = msg.type ?? event;
    if (type === 'content_block_delta' && this.firstTokenAt === null) this.firstTokenAt = now;
    else if (type === 'message_delta') {
      const usage = msg.usage as { output_tokens?: number } | undefined;
      if (typeof usage?.output_tokens === 'number') this.outputTokens = usage.output_tokens;
    } else if (type === 'message_stop') this.done = true;
  }
}
