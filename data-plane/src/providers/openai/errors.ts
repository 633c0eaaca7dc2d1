// Maps OpenAI error answers to gateway error codes, keeping the provider's message where it helps the caller.
import type { ErrorCode } from '@gw/schema';
import type { ProviderFailure } from '../types.ts';

/** The provider's own message from `{"error":{"message"}}` (or a short text body). */
export function providerMessage(body: Buffer): string | null {
  const text = body.toString('utf8').trim();
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed?.error === 'object' && typeof parsed.error?.message === 'string') return parsed.error.message;
    if (typeof parsed?.error === 'string') return parsed.error;
    if (typeof parsed?.message === 'string') return parsed.message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

export function openaiFailure(status: number, body: Buffer): ProviderFailure {
  let code: ErrorCode;
  if (status === 429) code = 'provider_rate_limited';
  else if (status === 400 || status === 422) code = 'provider_bad_request';
  else if (status === 401 || status === 403) code = 'provider_auth_failed';
  else if (status === 404) code = 'provider_model_not_found';
  else code = 'provider_error';

  if (code === 'provider_bad_request') {
    // The caller's request was at fault: pass on what the provider said about it.
    return { code, message: providerMessage(body) ?? `The provider rejected the request (HTTP ${status}).` };
  }
  if (code === 'provider_rate_limited') {
    return { code, message: 'The provider is rate limiting requests; retry later.' };
  }
  // 401/403/404/5xx: the gateway's credential, its configuration or the provider is at fault, not the caller;
  // do not echo the provider's text (it may mention the gateway's credential).
  if (code === 'provider_auth_failed') {
    return { code, message: `The provider refused the gateway's credential (HTTP ${status}); tell the operator.` };
  }
  if (code === 'provider_model_not_found') {
    return { code, message: `The provider does not know the configured upstream model (HTTP ${status}).` };
  }
  return { code, message: `The provider failed to answer (HTTP ${status}).` };
}
