// What a provider adapter must offer; kept small and free of any concrete provider.
import type { ErrorCode, ProviderKind } from '@gw/schema';

/** A chat-completions request in the OpenAI format, already validated; unknown fields are kept. */
export interface ChatRequest {
  readonly body: Record<string, unknown>;
  readonly model: string;
  readonly stream: boolean;
  /** Whether the caller itself asked for stream_options.include_usage. */
  readonly includeUsage: boolean;
}

export interface TokenUsage {
  /** All prompt tokens, cached ones included. */
  inputTokens: number;
  outputTokens: number;
  /** The part of inputTokens served from the provider's prompt cache. */
  cachedInputTokens: number;
}

export interface UpstreamRequest {
  /** Appended to the path of the credential's baseUrl. */
  readonly path: string;
  /** A fresh object per request: the pipeline adds the W3C trace context headers to it. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What a stream rewriter is told when it is created. */
export interface StreamOptions {
  /** Forward the provider's usage-only last chunk (the caller asked for it). */
  readonly keepUsageChunk: boolean;
  /** The request, whose prompt is counted if the stream ends without the provider's usage. */
  readonly request: ChatRequest;
  /** The provider's model name: it picks the tokenizer for that count. */
  readonly upstreamModel: string;
}

/** Incremental stream rewriting: forwards bytes as soon as whole events are available. */
export interface StreamTransform {
  /** Returns the bytes to forward now (possibly none). */
  push(chunk: Buffer): Buffer | null;
  /** Upstream ended: returns whatever was held back. */
  end(): Buffer | null;
  /** Usage seen so far (set once the provider reported it). */
  readonly usage: TokenUsage | null;
  /** Events relayed so far (an estimate of output tokens while the provider has not reported usage). */
  readonly events: number;
  /**
   * Slow path, for a stream that ended without the provider's usage (cut by the caller, the provider or a shutdown):
   * the request's prompt tokens and the tokens of the text relayed so far, counted with the model's tokenizer
   * (estimated past a size limit), no cached tokens. Never throws.
   */
  countedUsage(): TokenUsage;
}

export interface ProviderFailure {
  readonly code: ErrorCode;
  readonly message: string;
}

export interface ChatProvider {
  readonly id: ProviderKind;
  chatRequest(request: ChatRequest, upstreamModel: string, apiKey: string): UpstreamRequest;
  /** Usage from a complete (non-streamed) answer; null when the provider sent none. */
  chatUsage(body: Buffer): TokenUsage | null;
  chatStream(options: StreamOptions): StreamTransform;
  /** Maps a non-2xx provider answer to a gateway error (status and the provider's message). */
  failure(status: number, body: Buffer): ProviderFailure;
}
