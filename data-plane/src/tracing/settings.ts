// What tracing is configured to do, and the pure parsers config.ts uses for the standard OTEL_* variables.
// Nothing here loads OpenTelemetry: with tracing off, the process never imports it.

export const otlpProtocols = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof otlpProtocols)[number];

/** The samplers of the OTel environment specification that need no remote service. */
export const samplerNames = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type SamplerName = (typeof samplerNames)[number];

export interface TracingSettings {
  /** Where spans are POSTed: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as is, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  url: string;
  protocol: OtlpProtocol;
  /** Sent with every export (typically a vendor's API key): a secret, never logged. */
  headers: Record<string, string>;
  timeoutMs: number;
  compression: 'none' | 'gzip';
  serviceName: string;
  sampler: SamplerName;
  /** The ratio of the traceidratio samplers, in [0, 1]. */
  samplerRatio: number;
  scheduleDelayMs: number;
  maxQueueSize: number;
  maxExportBatchSize: number;
}

/**
 * The traces URL from the two endpoint variables (the specific one wins and is used as is; the general one gets
 * `v1/traces` appended), or null when neither is set. Throws a message that does not echo the URL (it may hold
 * credentials, and the message is logged).
 */
export function tracesUrl(tracesEndpoint: string, endpoint: string): string | null {
  const [name, raw] = tracesEndpoint
    ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesEndpoint]
    : ['OTEL_EXPORTER_OTLP_ENDPOINT', endpoint];
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be an http(s) URL such as http://otel-collector:4318`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} must be an http(s) URL (OTLP over HTTP; gRPC is not supported)`);
  }
  if (raw === tracesEndpoint) return url.href;
  return `${url.href.replace(/\/+$/, '')}/v1/traces`;
}

/**
 * OTEL_EXPORTER_OTLP_HEADERS format: `name=value` pairs separated by commas, values percent-encoded. Throws a message
 * that names the variable and the entry's position, never its text (header values are secrets).
 */
export function parseOtlpHeaders(name: string, raw: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!raw.trim()) return headers;
  const entries = raw.split(',');
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i].trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const key = eq > 0 ? entry.slice(0, eq).trim() : '';
    let value: string;
    try {
      value = decodeURIComponent(entry.slice(eq + 1).trim());
    } catch {
      throw new Error(`${name}: entry ${i + 1} has a value that is not valid percent-encoding`);
    }
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(key)) {
      throw new Error(`${name} must be a comma-separated list of name=value pairs (entry ${i + 1} is not)`);
    }
    if (/[\r\n\0]/.test(value)) throw new Error(`${name}: entry ${i + 1} has a value with a line break or NUL`);
    headers[key.toLowerCase()] = value;
  }
  return headers;
}
