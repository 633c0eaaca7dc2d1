// GraphQL subscriptions over graphql-ws with the session token: one lazy socket shared by every live view,
// reconnecting with backoff, closed when the session ends.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type Client, createClient } from 'graphql-ws';
import { watch } from 'vue';
import { config } from '../config';
import { queryText } from './client';
import { sessionToken } from './session';

let client: Client | null = null;

function wsUrl(): string {
  const url = new URL(config().graphqlUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function shared(): Client {
  client ??= createClient({
    url: wsUrl(),
    lazy: true,
    connectionParams: () => (sessionToken.value ? { authorization: `Bearer ${sessionToken.value}` } : {}),
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => sessionToken.value !== null,
  });
  return client;
}

// A new session (or none) must not reuse the old socket's authentication.
watch(sessionToken, () => {
  void client?.dispose();
  client = null;
});

/** Calls `onData` for every result; returns the function that stops the subscription. */
export function subscribe<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  onData: (data: TData) => void,
  onError?: (error: unknown) => void,
): () => void {
  return shared().subscribe<TData>(
    {
      query: queryText(document as TypedDocumentNode<unknown, unknown>),
      variables: variables as Record<string, unknown>,
    },
    {
      next: (result) => {
        if (result.data) onData(result.data as TData);
        else if (result.errors) onError?.(result.errors);
      },
      error: (error) => onError?.(error),
      complete: () => {},
    },
  );
}
