// POST /v1/chat/completions: the OpenAI chat endpoint on the pipeline. What is its own: the body checks, the
// provider's chat request, usage and stream rewriting; the pipeline (pipeline/run.ts) does the rest.
import type { H3Event } from 'h3';
import { EventCaller } from '../http/caller.ts';
import type { ProxyEndpoint } from '../pipeline/endpoint.ts';
import type { Pipeline } from '../pipeline/run.ts';
import type { ChatRequest } from '../providers/types.ts';
import { validateChatRequest } from './chat-request.ts';

export const chatCompletionsEndpoint: ProxyEndpoint<ChatRequest> = {
  name: 'chat completion',
  route: '/v1/chat/completions',
  operation: 'chat',
  validate: validateChatRequest,
  upstreamRequest: (adapter, request, target) =>
    adapter.chatRequest(request, target.deployment.upstreamModel, target.credential.apiKey),
  usage: (adapter, body) => adapter.chatUsage(body),
  stream: (adapter, request, target) =>
    adapter.chatStream({
      keepUsageChunk: request.includeUsage,
      request,
      upstreamModel: target.deployment.upstreamModel,
    }),
};

export function chatCompletions(pipeline: Pipeline) {
  return function chatCompletionsHandler(event: H3Event): Promise<Response> {
    return pipeline.proxy(new EventCaller(event), chatCompletionsEndpoint);
  };
}
