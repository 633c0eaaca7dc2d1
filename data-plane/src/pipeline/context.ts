// The one object a request allocates for its policy: created empty on arrival, filled in as the stages run, metered
// once at the end. It is also the usage meter's Exchange and what the in-flight journal holds.
import type { Lease } from '../budgets/lease.ts';
import type { ChatProvider, StreamTransform, TokenUsage } from '../providers/types.ts';
import type { DeploymentEntry, KeyEntry, LimitEntry, ModelEntry, OrgModuleEntry } from '../snapshot/store.ts';
import type { RequestTrace } from '../tracing/types.ts';
import type { Exchange } from '../usage/meter.ts';
import { estimateTokens } from '../usage/token-count.ts';

/** What every proxied endpoint's validated body offers the pipeline; endpoints keep their own fields beside it. */
export interface EndpointRequest {
  /** The parsed JSON body (unknown fields kept), as request guardrails will read it. */
  readonly body: Record<string, unknown>;
  readonly model: string;
  readonly stream: boolean;
}

/**
 * Fields are declared (and initialised) in one place, in one order, so that every context has the same hidden class:
 * the stages' property reads stay monomorphic. A stage writes only the fields its comment names.
 */
export class RequestContext implements Exchange {
  // --- Exchange (usage/meter.ts): what metering and the in-flight journal read.
  readonly requestId: string;
  readonly startedAtMs: number;
  readonly t0: number;
  /** admit */
  key: KeyEntry | null = null;
  /** admit (the attributed module's id) */
  moduleId: string | null = null;
  /** The model name the caller asked for, as sent ('' until the body was read). */
  model = '';
  /** authorize */
  modelEntry: ModelEntry | null = null;
  /** route */
  provider: string | null = null;
  /** route */
  upstreamModel: string | null = null;
  stream = false;
  providerMs = 0;
  usage: TokenUsage | null = null;
  tokensSoFar: (() => TokenUsage) | null = null;
  journaled = false;
  finished = false;
  /** budget: served fail-open without a lease covering it (the org's budgets could not be checked). */
  budgetUnchecked = false;

  // --- What the caller presented (read from the transport by the runner, so stages never see HTTP).
  /** The virtual key's secret; null = none sent. */
  apiKey: string | null = null;
  /** The x-gateway-module header; null = none sent. */
  moduleHeader: string | null = null;
  /**
   * Tracing off: the caller's W3C `traceparent` and `tracestate`, passed to the provider unchanged (null = none sent).
   * Tracing on, the request's spans take their place.
   */
  traceparent: string | null = null;
  tracestate: string | null = null;
  /** The request's spans; null when tracing is off. */
  trace: RequestTrace | null = null;

  // --- What the stages decided.
  /** admit: the module enablement the request is attributed to; null = none. */
  attribution: OrgModuleEntry | null = null;
  /**
   * The budgets and rate limits set on the request's org, team, user, key and module (found after admit); null when
   * none is set, so that requests without limits pay one null check in each limit stage.
   */
  limits: readonly LimitEntry[] | null = null;
  /** The endpoint's validated request (set after the body was read, before authorize). */
  request: EndpointRequest | null = null;
  /**
   * Bytes of the request body: the budget's bound on input tokens, and the in-flight journal's estimate of a running
   * stream's prompt.
   */
  bodyBytes = 0;
  /** A number in [0, 1) drawn for weighted routing just before route (tests set it). */
  routeDraw = 0;
  /** route: the deployment that serves the request and its provider adapter. */
  target: DeploymentEntry | null = null;
  adapter: ChatProvider | null = null;
  /**
   * budget: the leases reserveBudget held the request's worst case on (null = none; an array shared with other
   * requests, never changed), and that worst case (provider nano-dollars); settleBudget at meter replaces the hold
   * with the real cost.
   */
  budgetLeases: readonly Lease[] | null = null;
  budgetHeld = 0;
  /** rate limit: 1 when acquireRateLimit counted the request (its tokens join the windows at meter), else 0. */
  rateHeld = 0;

  // --- Forward.
  /** performance.now() when the request went to the provider. */
  sentAt = 0;
  /** The stream rewriter of a streamed answer. */
  transform: StreamTransform | null = null;

  constructor(requestId: string) {
    this.requestId = requestId;
    this.startedAtMs = Date.now();
    this.t0 = performance.now();
  }
}

/**
 * Tokens of a running stream for the in-flight journal: the provider's usage once reported, else estimates that cost
 * nothing to keep up to date: the request body at bytes / 3 for the prompt, one output token per event relayed so far
 * (OpenAI streams a token per content event). Counting with the tokenizer, as a stream that ends early is, would load
 * it on every node and tokenize every long stream once a second, usage or not. Assigned (not bound) to
 * `tokensSoFar`, which is always called as `ctx.tokensSoFar()`: a stream costs no closure.
 */
export function streamTokensSoFar(this: RequestContext): TokenUsage {
  const transform = this.transform;
  const inputTokens = estimateTokens(this.bodyBytes);
  if (!transform) return { inputTokens, outputTokens: 0, cachedInputTokens: 0 };
  return transform.usage ?? { inputTokens, outputTokens: transform.events, cachedInputTokens: 0 };
}
