// The explicit list of provider adapters, keyed by the snapshot's provider kind.
import type { ProviderKind } from '@gw/schema';
import { openaiProvider } from './openai/index.ts';
import type { ChatProvider } from './types.ts';

const providers: Record<ProviderKind, ChatProvider> = {
  openai: openaiProvider,
};

export function providerFor(kind: ProviderKind): ChatProvider {
  return providers[kind];
}
