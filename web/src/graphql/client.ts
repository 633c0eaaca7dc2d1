// Fetch-based GraphQL client for typed documents (graphql-codegen): adds the session token, maps errors to
// ApiError, and reports a lost session so the router can send the admin to the login page.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { config } from '../config';
import { ApiError, defaultMessage, type WireError } from './errors';
import { clearSessionToken, sessionToken } from './session';

type Listener = () => void;
const unauthenticatedListeners = new Set<Listener>();

/** Called when the API rejects the session; the router uses it to send the admin to the login page. */
export function onUnauthenticated(listener: Listener): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export function reportUnauthenticated(): void {
  clearSessionToken();
  for (const listener of unauthenticatedListeners) listener();
}

interface WireResponse<T> {
  data?: T | null;
  errors?: WireError[];
}

export interface RequestOptions {
  signal?: AbortSignal;
}

/** Printed once per document: the same document is sent on every request. */
const printed = new WeakMap<object, string>();

export function queryText(document: TypedDocumentNode<unknown, never> | TypedDocumentNode<unknown, unknown>): string {
  let text = printed.get(document);
  if (!text) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

export async function request<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: RequestOptions = {},
): Promise<TData> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  const token = sessionToken.value;
  if (token) headers.authorization = `Bearer ${token}`;

  let res: Response;
  try {
    res = await fetch(config().graphqlUrl, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: queryText(document as TypedDocumentNode<unknown, unknown>), variables }),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError('NETWORK_ERROR', defaultMessage('NETWORK_ERROR'));
  }

  let body: WireResponse<TData>;
  try {
    body = (await res.json()) as WireResponse<TData>;
  } catch {
    throw new ApiError(res.status === 401 ? 'UNAUTHENTICATED' : 'BAD_RESPONSE', defaultMessage('BAD_RESPONSE'));
  }

  const first = body.errors?.[0];
  if (first) {
    const error = ApiError.fromWire(first);
    if (error.code === 'UNAUTHENTICATED') reportUnauthenticated();
    throw error;
  }
  if (body.data == null) throw new ApiError('BAD_RESPONSE', defaultMessage('BAD_RESPONSE'));
  return body.data;
}
