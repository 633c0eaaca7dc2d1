// Configuration parsing: defaults, derived ws URL, and every problem reported at once.
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const r = loadConfig({ CONTROL_PLANE_URL: 'http://127.0.0.1:4000/', DATA_PLANE_TOKEN: 't', NODE_ID: 'dp-1' });
    expect(r.ok && r.config).toEqual({
      controlPlaneUrl: 'http://127.0.0.1:4000',
      controlPlaneWsUrl: 'ws://127.0.0.1:4000/graphql',
      dataPlaneToken: 't',
      host: '127.0.0.1',
      port: 8080,
      nodeId: 'dp-1',
      stateDir: '.gateway/data-plane/dp-1',
      maxBodyBytes: 4_194_304,
      upstreamTimeoutMs: 600_000,
      upstreamConnectTimeoutMs: 10_000,
      usageFlushMs: 1000,
      usageBatchSize: 500,
      usageSpoolMaxBytes: 1_073_741_824,
      metricsUserLabels: false,
      metricsKeyLabels: false,
      metricsToken: null,
      shutdownGraceMs: 20_000,
      server: {
        headersTimeoutMs: 10_000,
        requestReadTimeoutMs: 30_000,
        keepAliveTimeoutMs: 65_000,
        maxConnections: 10_000,
        drainIdleMs: 1_000,
      },
      logLevel: 'info',
    });
  });

  it('derives wss from https and reads every override', () => {
    const r = loadConfig({
      CONTROL_PLANE_URL: 'https://cp.example.com',
      DATA_PLANE_TOKEN: 't',
      DP_PORT: '0',
      METRICS_USER_LABELS: 'true',
      USAGE_BATCH_SIZE: '50',
      USAGE_SPOOL_MAX_BYTES: '2097152',
      METRICS_TOKEN: ' scrape-me ',
      HEADERS_TIMEOUT_MS: '2000',
      REQUEST_READ_TIMEOUT_MS: '5000',
      KEEP_ALIVE_TIMEOUT_MS: '3000',
      MAX_CONNECTIONS: '64',
      SHUTDOWN_IDLE_MS: '0',
    });
    expect(r.ok && r.config).toMatchObject({
      controlPlaneWsUrl: 'wss://cp.example.com/graphql',
      port: 0,
      metricsUserLabels: true,
      usageBatchSize: 50,
      usageSpoolMaxBytes: 2_097_152,
      metricsToken: 'scrape-me',
      server: {
        headersTimeoutMs: 2000,
        requestReadTimeoutMs: 5000,
        keepAliveTimeoutMs: 3000,
        maxConnections: 64,
        drainIdleMs: 0,
      },
    });
    // Stable across restarts, so that the state dir (snapshot, usage spool) is found again.
    expect(r.ok && r.config.nodeId).toBe(hostname());
  });

  it('reports all problems together', () => {
    const r = loadConfig({
      DP_PORT: 'abc',
      MAX_BODY_BYTES: '-1',
      METRICS_KEY_LABELS: 'maybe',
      USAGE_BATCH_SIZE: '9000',
      USAGE_SPOOL_MAX_BYTES: '1000',
      HEADERS_TIMEOUT_MS: '0',
      REQUEST_READ_TIMEOUT_MS: '40000',
      MAX_CONNECTIONS: 'lots',
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([
      'CONTROL_PLANE_URL is required',
      'DATA_PLANE_TOKEN is required',
      'DP_PORT must be an integer between 0 and 65535 (got "abc")',
      'MAX_BODY_BYTES must be an integer between 1 and 9007199254740991 (got "-1")',
      'USAGE_BATCH_SIZE must be an integer between 1 and 5000 (got "9000")',
      'USAGE_SPOOL_MAX_BYTES must be an integer between 1048576 and 9007199254740991 (got "1000")',
      'METRICS_KEY_LABELS must be true or false (got "maybe")',
      'HEADERS_TIMEOUT_MS must be an integer between 1 and 9007199254740991 (got "0")',
      'MAX_CONNECTIONS must be an integer between 1 and 9007199254740991 (got "lots")',
    ]);
  });

  it('never echoes a control-plane URL it refuses: it may carry credentials', () => {
    const r = loadConfig({ CONTROL_PLANE_URL: 'ftp://dp:s3cret@cp.example.com', DATA_PLANE_TOKEN: 't' });
    expect(!r.ok && r.problems).toEqual(['CONTROL_PLANE_URL must be an http(s) URL such as http://control-plane:4000']);
  });

  it('refuses a headers timeout longer than the whole-request timeout', () => {
    const r = loadConfig({
      CONTROL_PLANE_URL: 'http://cp',
      DATA_PLANE_TOKEN: 't',
      HEADERS_TIMEOUT_MS: '40000',
    });
    expect(!r.ok && r.problems).toEqual([
      'HEADERS_TIMEOUT_MS must not be larger than REQUEST_READ_TIMEOUT_MS (the headers are part of the request)',
    ]);
  });
});
