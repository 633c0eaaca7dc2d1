// Builds the upstream OpenAI request: the deployment's model name, and usage always requested on streams.
import type { ChatRequest, UpstreamRequest } from '../types.ts';

export function openaiChatRequest(request: ChatRequest, upstreamModel: string, apiKey: string): UpstreamRequest {
  const body: Record<string, unknown> = { ...request.body, model: upstreamModel };
  if (request.stream) {
    // Metering needs the usage chunk even when the caller did not ask for it; the stream
    // transform strips it again in that case (request.includeUsage remembers the caller's choice).
    const callerOptions = request.body.stream_options;
    body.stream_options = {
      ...(typeof callerOptions === 'object' && callerOptions !== null ? callerOptions : {}),
      include_usage: true,
    };
  }
  return {
    path: '/chat/completions',
    headers: {
      'content-type': 'application/json',
      accept: request.stream ? 'text/event-stream' : 'application/json',
      authorization: `Bearer ${apiKey}`,
    },
    body: JSON.stringify(body),
  };
}
