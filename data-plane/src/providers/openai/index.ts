// The OpenAI adapter: chat completions in OpenAI's own format, so mostly pass-through.
import type { ChatProvider } from '../types.ts';
import { openaiFailure } from './errors.ts';
import { openaiChatRequest } from './request.ts';
import { openaiChatUsage } from './response.ts';
import { OpenAIStreamTransform } from './stream.ts';

export const openaiProvider: ChatProvider = {
  id: 'openai',
  chatRequest: openaiChatRequest,
  chatUsage: openaiChatUsage,
  chatStream: (options) => new OpenAIStreamTransform(options),
  failure: openaiFailure,
};
