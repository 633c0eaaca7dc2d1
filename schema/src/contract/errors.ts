// The closed list of data-plane error codes, prefixed by who is at fault.
export interface ErrorSpec {
  status: number;
  /** OpenAI-style error `type`. */
  type: string;
  /** Whether retrying the same request can help (sent as x-should-retry). */
  retry: boolean;
}

export const errorCodes = {
  caller_missing_api_key: { status: 401, type: 'authentication_error', retry: false },
  caller_invalid_api_key: { status: 401, type: 'authentication_error', retry: false },
  caller_key_revoked: { status: 401, type: 'authentication_error', retry: false },
  caller_key_expired: { status: 401, type: 'authentication_error', retry: false },
  caller_invalid_json: { status: 400, type: 'invalid_request_error', retry: false },
  caller_invalid_request: { status: 400, type: 'invalid_request_error', retry: false },
  caller_body_too_large: { status: 413, type: 'invalid_request_error', retry: false },
  caller_unsupported_media_type: { status: 415, type: 'invalid_request_error', retry: false },
  caller_route_not_found: { status: 404, type: 'not_found_error', retry: false },
  caller_method_not_allowed: { status: 405, type: 'invalid_request_error', retry: false },
  caller_model_not_found: { status: 404, type: 'not_found_error', retry: false },
  /** /metrics asked for without METRICS_TOKEN (or, when none is set, from beyond loopback). */
  caller_metrics_forbidden: { status: 403, type: 'permission_error', retry: false },
  policy_model_not_allowed: { status: 403, type: 'permission_error', retry: false },
  policy_org_suspended: { status: 403, type: 'permission_error', retry: false },
  /** x-gateway-module names no module enabled for the key's org (unknown ones read the same), or the key's is disabled. */
  policy_module_not_enabled: { status: 403, type: 'permission_error', retry: false },
  /** The key is bound to one module and x-gateway-module names another. */
  policy_module_mismatch: { status: 403, type: 'permission_error', retry: false },
  /** The module the request is attributed to is suspended. */
  policy_module_suspended: { status: 403, type: 'permission_error', retry: false },
  /** A budget that applies to the request (its key, user, team, org or module) is spent for the period. */
  budget_exceeded: { status: 429, type: 'insufficient_quota', retry: false },
  /**
   * The org refuses requests while budgets cannot be checked (fail-closed): the control plane is unreachable and the
   * data plane's lease of a budget is spent.
   */
  budget_unavailable: { status: 503, type: 'api_error', retry: true },
  /** A requests- or tokens-per-minute limit on the key, user, team, org or module is reached; see retry-after. */
  rate_limited: { status: 429, type: 'rate_limit_error', retry: true },
  provider_error: { status: 502, type: 'api_error', retry: true },
  /** The provider refused the gateway's credential (HTTP 401/403): an operator must fix it, retrying cannot. */
  provider_auth_failed: { status: 502, type: 'api_error', retry: false },
  /** The provider does not know the deployment's upstream model (HTTP 404): a configuration error. */
  provider_model_not_found: { status: 502, type: 'api_error', retry: false },
  provider_bad_request: { status: 400, type: 'invalid_request_error', retry: false },
  provider_rate_limited: { status: 429, type: 'rate_limit_error', retry: true },
  provider_timeout: { status: 504, type: 'api_error', retry: true },
  provider_unreachable: { status: 502, type: 'api_error', retry: true },
  gateway_not_ready: { status: 503, type: 'api_error', retry: true },
  gateway_shutting_down: { status: 503, type: 'api_error', retry: true },
  gateway_internal_error: { status: 500, type: 'api_error', retry: true },
  /**
   * Never sent to a caller: the usage record of a request that was still in flight when its data plane crashed,
   * written at the next start from the in-flight journal (with `incomplete: true`).
   */
  gateway_interrupted: { status: 502, type: 'api_error', retry: true },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCodes;

/** The only error body shape the data plane sends: what the OpenAI SDKs understand. */
export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: ErrorCode };
}
