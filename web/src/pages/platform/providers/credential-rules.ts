// Client rules of the provider credential forms, mirroring the control plane's (provider-credential.service.ts):
// a short name, an absolute http(s) base URL without user info, query or fragment, and an API key without spaces.
import type { ProviderKind } from '../../../graphql/generated/graphql';
import { maxNameLength } from '../../../validation';

/** What the edit dialog needs of a credential. */
export interface EditedCredential {
  id: string;
  name: string;
  provider: ProviderKind;
  baseUrl: string;
}

/** What the dialog reports after a save; a new credential comes with its key's masked hint. */
export interface SavedCredential {
  id: string;
  name: string;
  secretHint?: string;
}

/** OPENAI covers OpenAI itself and any API speaking its protocol (Azure OpenAI, vLLM, proxies…). */
export const providerOptions = [{ label: 'OpenAI', value: 'OPENAI' as ProviderKind }];

export function providerLabel(kind: string): string {
  return providerOptions.find((o) => o.value === kind)?.label ?? kind;
}

export function credentialNameError(value: string): string | undefined {
  const name = value.trim();
  if (name === '') return 'Name is required.';
  if (name.length > maxNameLength) return `Name must be at most ${maxNameLength} characters.`;
  return undefined;
}

export function baseUrlError(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'Base URL is required.';
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'Enter an absolute http(s) URL, e.g. https://api.openai.com/v1.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'The base URL must use http or https.';
  // The server refuses these too: credentials in a URL would be stored and shown in clear.
  if (url.username || url.password)
    return 'Put no username or password in the URL; the API key field holds the secret.';
  if (url.search || url.hash) return 'The base URL must not contain a query string or fragment.';
  return undefined;
}

export const maxApiKeyLength = 4096;

export function apiKeyError(value: string): string | undefined {
  const key = value.trim();
  if (key === '') return 'API key is required.';
  if (key.length > maxApiKeyLength) return `API key must be at most ${maxApiKeyLength} characters.`;
  if (/[\s\p{Cc}]/u.test(key)) return 'API key must not contain spaces, line breaks or control characters.';
  return undefined;
}

/** "gpt-4o, gpt-4o-mini and 3 more" for the models using a credential; "Not used by any model" for none. */
export function usedByLabel(models: string[], max = 3): string {
  if (models.length === 0) return 'Not used by any model';
  if (models.length <= max) return models.join(', ');
  return `${models.slice(0, max).join(', ')} and ${models.length - max} more`;
}
