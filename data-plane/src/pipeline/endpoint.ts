// What an endpoint gives the pipeline: module-level objects of plain functions (no per-request closures), so that
// chat completions, embeddings and messages run the same stages and differ only here.
import type { Decision } from '../policy/decision.ts';
import type { ChatProvider, StreamTransform, TokenUsage, UpstreamRequest } from '../providers/types.ts';
import type { DeploymentEntry, SnapshotStore } from '../snapshot/store.ts';
import type { EndpointRequest, RequestContext } from './context.ts';

/** An endpoint that forwards to a provider: the whole pipeline runs, and the request is metered. */
export interface ProxyEndpoint<R extends EndpointRequest = EndpointRequest> {
  /** Names the endpoint in log lines ("chat completion failed"). */
  readonly name: string;
  /** The route it serves (`/v1/chat/completions`), as trace spans name it. */
  readonly route: string;
  /** The GenAI operation it performs (`chat`), as trace spans name it. */
  readonly operation: string;
  /** The endpoint's own checks of the parsed JSON body: the request, or a refusal naming the bad `param`. */
  validate(body: unknown): Decision<{ request: R }>;
  /** The provider request for the deployment route chose. */
  upstreamRequest(adapter: ChatProvider, request: R, target: DeploymentEntry): UpstreamRequest;
  /** Token usage of an answer read whole (null when the provider sent none). */
  usage(adapter: ChatProvider, body: Buffer): TokenUsage | null;
  /** The rewriter of a streamed answer (it also counts its tokens) for the deployment route chose. */
  stream(adapter: ChatProvider, request: R, target: DeploymentEntry): StreamTransform;
}

/** An endpoint answered from the snapshot alone (GET /v1/models): admit runs, nothing is forwarded or metered. */
export interface LocalEndpoint {
  answer(store: SnapshotStore, ctx: RequestContext): Response;
}
