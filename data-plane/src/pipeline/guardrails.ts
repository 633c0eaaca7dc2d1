// The guardrail stages: seams the guardrails feature fills. Today every request and every answer passes.
import { allow, type Decision } from '../policy/decision.ts';
import type { SnapshotStore } from '../snapshot/store.ts';
import type { RequestContext } from './context.ts';

/** Before route: may this request's content go to a provider (`ctx.request.body`, the parsed JSON as sent). */
export function checkRequest(_store: SnapshotStore, _ctx: RequestContext): Decision {
  return allow;
}

/**
 * After forward, for an answer read whole: may the caller see this body (the provider's bytes, as they would be
 * sent). A refusal replaces the answer with the error; the tokens are still metered.
 */
export function checkResponseBody(_ctx: RequestContext, _body: Buffer): Decision {
  return allow;
}

/**
 * While a stream runs, for each piece about to reach the caller (whole SSE events, after the provider's stream
 * rewriting): a refusal ends the stream with it as the last event and stops the provider.
 */
export function checkResponseChunk(_ctx: RequestContext, _chunk: Buffer): Decision {
  return allow;
}
