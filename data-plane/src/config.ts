// The data plane's settings: the only place that reads process.env; every problem is reported at once.
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ServerLimits } from './server.ts';

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
  };
  if (config.server.headersTimeoutMs > config.server.requestReadTimeoutMs) {
    problems.push(
      'HEADERS_TIMEOUT_MS must not be larger than REQUEST_READ_TIMEOUT_MS (the headers are part of the request)',
    );
  }
  return problems.length ? { ok: false, problems } : { ok: true, config };
}
