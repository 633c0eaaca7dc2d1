// The data plane's settings: the only place that reads process.env; every problem is reported at once.
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ServerLimits } from './server.ts';
import {
  type OtlpProtocol,
  otlpProtocols,
  parseOtlpHeaders,
  type SamplerName,
  samplerNames,
  type TracingSettings,
  tracesUrl,
} from './tracing/settings.ts';

export interface Config {
  /** Control-plane HTTP base, e.g. http://127.0.0.1:4000 (no trailing slash). */
  controlPlaneUrl: string;
  /** graphql-ws endpoint derived from controlPlaneUrl (ws[s]://host/graphql). */
  controlPlaneWsUrl: string;
  dataPlaneToken: string;
  host: string;
  port: number;
  nodeId: string;
  stateDir: string;
  maxBodyBytes: number;
  upstreamTimeoutMs: number;
  upstreamConnectTimeoutMs: number;
  usageFlushMs: number;
  usageBatchSize: number;
  /** Disk the usage spool may use; beyond it new records are dropped (counted) while serving goes on. */
  usageSpoolMaxBytes: number;
  metricsUserLabels: boolean;
  metricsKeyLabels: boolean;
  /** Bearer token /metrics demands; unset = /metrics answers loopback callers only. */
  metricsToken: string | null;
  shutdownGraceMs: number;
  /** Connection limits and timeouts of the listening server (HEADERS_TIMEOUT_MS ... SHUTDOWN_IDLE_MS). */
  server: ServerLimits;
  logLevel: string;
  /** OpenTelemetry traces of the request path; null = off (no OTLP endpoint set, or OTEL_SDK_DISABLED=true). */
  tracing: TracingSettings | null;
  budgets: BudgetSettings;
}

export interface BudgetSettings {
  /** How long a request may wait for a budget lease call (BUDGET_LEASE_WAIT_MS). */
  leaseWaitMs: number;
  /** Output tokens a request without max_tokens is assumed to produce (BUDGET_DEFAULT_MAX_OUTPUT_TOKENS). */
  defaultMaxOutputTokens: number;
  /** A lease unused this long gives its balance back (BUDGET_LEASE_IDLE_RETURN_MS). */
  idleReturnMs: number;
}

/** The documented defaults of the server's limits; in-process test gateways use them too. */
export const serverLimitDefaults: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestReadTimeoutMs: 30_000,
  // Longer than the 60 s idle timeout of common load balancers, so that they never reuse a connection we close.
  keepAliveTimeoutMs: 65_000,
  maxConnections: 10_000,
  drainIdleMs: 1_000,
};

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const logLevels = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Parses the environment; pure so that tests can feed it any map. */
export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const problems: string[] = [];

  const str = (name: string, fallback?: string): string => {
    const v = env[name]?.trim();
    if (v) return v;
    if (fallback === undefined) problems.push(`${name} is required`);
    return fallback ?? '';
  };
  const int = (name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const bool = (name: string): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return false;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return false;
  };

  const controlPlaneUrl = str('CONTROL_PLANE_URL').replace(/\/+$/, '');
  let controlPlaneWsUrl = '';
  if (controlPlaneUrl) {
    try {
      const u = new URL(controlPlaneUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
      controlPlaneWsUrl = `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}${u.pathname.replace(/\/+$/, '')}/graphql`;
    } catch {
      // Not echoed: a URL may carry credentials, and this message is logged.
      problems.push('CONTROL_PLANE_URL must be an http(s) URL such as http://control-plane:4000');
    }
  }
  const dataPlaneToken = str('DATA_PLANE_TOKEN');
  // The host name, not host+pid: a restarted data plane must find its own state dir (snapshot, usage spool) again.
  const nodeId = str('NODE_ID', hostname());
  if (nodeId.length > 128) problems.push('NODE_ID must be at most 128 characters');
  const logLevel = str('LOG_LEVEL', 'info');
  if (!logLevels.has(logLevel)) problems.push(`LOG_LEVEL must be one of ${[...logLevels].join(', ')}`);

  /** The standard OTEL_* variables; every one is checked even when tracing is off, so a typo shows at once. */
  const readTracing = (): TracingSettings | null => {
    let url: string | null = null;
    try {
      url = tracesUrl(str('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ''), str('OTEL_EXPORTER_OTLP_ENDPOINT', ''));
    } catch (err) {
      problems.push((err as Error).message);
    }
    const tracesProtocol = str('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', '');
    const protocol = (tracesProtocol || str('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf')) as OtlpProtocol;
    if (!otlpProtocols.includes(protocol)) {
      const variable = tracesProtocol ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
      problems.push(`${variable} must be one of ${otlpProtocols.join(', ')} (got "${protocol}")`);
    }
    let headers: Record<string, string> = {};
    try {
      headers = {
        ...parseOtlpHeaders('OTEL_EXPORTER_OTLP_HEADERS', str('OTEL_EXPORTER_OTLP_HEADERS', '')),
        ...parseOtlpHeaders('OTEL_EXPORTER_OTLP_TRACES_HEADERS', str('OTEL_EXPORTER_OTLP_TRACES_HEADERS', '')),
      };
    } catch (err) {
      problems.push((err as Error).message);
    }
    const compression = str('OTEL_EXPORTER_OTLP_COMPRESSION', 'none');
    if (compression !== 'none' && compression !== 'gzip') {
      problems.push(`OTEL_EXPORTER_OTLP_COMPRESSION must be none or gzip (got "${compression}")`);
    }
    const sampler = str('OTEL_TRACES_SAMPLER', 'parentbased_always_on') as SamplerName;
    if (!samplerNames.includes(sampler)) {
      problems.push(`OTEL_TRACES_SAMPLER must be one of ${samplerNames.join(', ')} (got "${sampler}")`);
    }
    const ratioRaw = str('OTEL_TRACES_SAMPLER_ARG', '1');
    const samplerRatio = Number(ratioRaw);
    if (!Number.isFinite(samplerRatio) || samplerRatio < 0 || samplerRatio > 1) {
      problems.push(`OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1 (got "${ratioRaw}")`);
    }
    const settings: TracingSettings = {
      url: url ?? '',
      protocol,
      headers,
      timeoutMs: int('OTEL_EXPORTER_OTLP_TIMEOUT', 10_000, 1),
      compression: compression as TracingSettings['compression'],
      serviceName: str('OTEL_SERVICE_NAME', 'llm-gateway-data-plane'),
      sampler,
      samplerRatio,
      scheduleDelayMs: int('OTEL_BSP_SCHEDULE_DELAY', 5_000, 1),
      maxQueueSize: int('OTEL_BSP_MAX_QUEUE_SIZE', 2_048, 1),
      maxExportBatchSize: int('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1),
    };
    if (settings.maxExportBatchSize > settings.maxQueueSize) {
      problems.push('OTEL_BSP_MAX_EXPORT_BATCH_SIZE must not be larger than OTEL_BSP_MAX_QUEUE_SIZE');
    }
    const disabled = bool('OTEL_SDK_DISABLED');
    return url && !disabled ? settings : null;
  };

  const config: Config = {
    controlPlaneUrl,
    controlPlaneWsUrl,
    dataPlaneToken,
    host: str('DP_HOST', '127.0.0.1'),
    port: int('DP_PORT', 8080, 0, 65535),
    nodeId,
    stateDir: str('DP_STATE_DIR', join('.gateway', 'data-plane', nodeId)),
    maxBodyBytes: int('MAX_BODY_BYTES', 4_194_304, 1),
    upstreamTimeoutMs: int('UPSTREAM_TIMEOUT_MS', 600_000, 1),
    upstreamConnectTimeoutMs: int('UPSTREAM_CONNECT_TIMEOUT_MS', 10_000, 1),
    usageFlushMs: int('USAGE_FLUSH_MS', 1000, 10),
    usageBatchSize: int('USAGE_BATCH_SIZE', 500, 1, 5000),
    usageSpoolMaxBytes: int('USAGE_SPOOL_MAX_BYTES', 1_073_741_824, 1_048_576),
    metricsUserLabels: bool('METRICS_USER_LABELS'),
    metricsKeyLabels: bool('METRICS_KEY_LABELS'),
    metricsToken: env.METRICS_TOKEN?.trim() || null,
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 20_000, 0),
    server: {
      headersTimeoutMs: int('HEADERS_TIMEOUT_MS', serverLimitDefaults.headersTimeoutMs, 1),
      requestReadTimeoutMs: int('REQUEST_READ_TIMEOUT_MS', serverLimitDefaults.requestReadTimeoutMs, 1),
      keepAliveTimeoutMs: int('KEEP_ALIVE_TIMEOUT_MS', serverLimitDefaults.keepAliveTimeoutMs, 1),
      maxConnections: int('MAX_CONNECTIONS', serverLimitDefaults.maxConnections, 1),
      drainIdleMs: int('SHUTDOWN_IDLE_MS', serverLimitDefaults.drainIdleMs, 0),
    },
    logLevel,
    tracing: readTracing(),
    budgets: {
      leaseWaitMs: int('BUDGET_LEASE_WAIT_MS', 2000, 1, 60_000),
      defaultMaxOutputTokens: int('BUDGET_DEFAULT_MAX_OUTPUT_TOKENS', 16_384, 1, 10_000_000),
      idleReturnMs: int('BUDGET_LEASE_IDLE_RETURN_MS', 10_000, 100),
    },
  };
  if (config.server.headersTimeoutMs > config.server.requestReadTimeoutMs) {
    problems.push(
      'HEADERS_TIMEOUT_MS must not be larger than REQUEST_READ_TIMEOUT_MS (the headers are part of the request)',
    );
  }
  return problems.length ? { ok: false, problems } : { ok: true, config };
}
