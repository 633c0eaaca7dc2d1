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
      tracing: null,
      budgets: { leaseWaitMs: 2000, defaultMaxOutputTokens: 16_384, idleReturnMs: 10_000 },
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
      BUDGET_LEASE_WAIT_MS: '500',
      BUDGET_DEFAULT_MAX_OUTPUT_TOKENS: '4096',
      BUDGET_LEASE_IDLE_RETURN_MS: '30000',
    });
    expect(r.ok && r.config).toMatchObject({
      budgets: { leaseWaitMs: 500, defaultMaxOutputTokens: 4096, idleReturnMs: 30_000 },
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

describe('loadConfig: tracing (the standard OTEL_* variables)', () => {
  const base = { CONTROL_PLANE_URL: 'http://cp', DATA_PLANE_TOKEN: 't' };
  const tracing = (env: Record<string, string>) => {
    const r = loadConfig({ ...base, ...env });
    if (!r.ok) throw new Error(r.problems.join('; '));
    return r.config.tracing;
  };
  const problems = (env: Record<string, string>) => {
    const r = loadConfig({ ...base, ...env });
    return r.ok ? [] : r.problems;
  };

  it('is off without an endpoint, with an empty one, and when OTEL_SDK_DISABLED is true', () => {
    expect(tracing({ OTEL_SERVICE_NAME: 'gw', OTEL_TRACES_SAMPLER_ARG: '0.5' })).toBeNull();
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBeNull();
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })).toBeNull();
  });

  it('applies the defaults of the OTel specification and appends /v1/traces to the general endpoint', () => {
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toEqual({
      url: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      headers: {},
      timeoutMs: 10_000,
      compression: 'none',
      serviceName: 'llm-gateway-data-plane',
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      scheduleDelayMs: 5_000,
      maxQueueSize: 2_048,
      maxExportBatchSize: 512,
    });
    expect(tracing({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com/base' })?.url).toBe(
      'https://otel.example.com/base/v1/traces',
    );
  });

  it('uses the traces endpoint as it is, and reads every override', () => {
    expect(
      tracing({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example.com/custom/traces',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=general,x-tenant=a%20b',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'X-Api-Key=specific',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
        OTEL_SERVICE_NAME: 'gateway-eu',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_BSP_MAX_QUEUE_SIZE: '100',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '50',
      }),
    ).toEqual({
      url: 'https://collector.example.com/custom/traces',
      protocol: 'http/json',
      headers: { 'x-api-key': 'specific', 'x-tenant': 'a b' },
      timeoutMs: 2_500,
      compression: 'gzip',
      serviceName: 'gateway-eu',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      scheduleDelayMs: 200,
      maxQueueSize: 100,
      maxExportBatchSize: 50,
    });
  });

  it('reports every bad value at once, also when tracing is off', () => {
    expect(
      problems({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'zstd',
        OTEL_TRACES_SAMPLER: 'jaeger_remote',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
        OTEL_EXPORTER_OTLP_TIMEOUT: '0',
        OTEL_BSP_MAX_QUEUE_SIZE: '10',
        OTEL_SDK_DISABLED: 'yes',
      }),
    ).toEqual([
      'OTEL_EXPORTER_OTLP_PROTOCOL must be one of http/protobuf, http/json (got "grpc")',
      'OTEL_EXPORTER_OTLP_COMPRESSION must be none or gzip (got "zstd")',
      'OTEL_TRACES_SAMPLER must be one of parentbased_always_on, parentbased_always_off, parentbased_traceidratio, ' +
        'always_on, always_off, traceidratio (got "jaeger_remote")',
      'OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1 (got "1.5")',
      'OTEL_EXPORTER_OTLP_TIMEOUT must be an integer between 1 and 9007199254740991 (got "0")',
      'OTEL_BSP_MAX_EXPORT_BATCH_SIZE must not be larger than OTEL_BSP_MAX_QUEUE_SIZE',
      'OTEL_SDK_DISABLED must be true or false (got "yes")',
    ]);
  });

  it.each([
    [
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'http//s3cret@collector',
      'must be an http(s) URL such as http://otel-collector:4318',
    ],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'grpc://user:s3cret@collector:4317', 'must be an http(s) URL (OTLP over'],
  ])('refuses %s = %s without echoing it (it may carry credentials)', (name, value, message) => {
    const found = problems({ [name]: value });
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`${name} ${message}`);
    expect(found[0]).not.toContain(value);
  });

  it.each([
    ['no equals sign', 'api-key', 'must be a comma-separated list of name=value pairs (entry 1 is not)'],
    ['an empty name', 'a=1,=s3cret', 'must be a comma-separated list of name=value pairs (entry 2 is not)'],
    ['bad percent-encoding', 'x-key=s3cret%zz', 'entry 1 has a value that is not valid percent-encoding'],
    ['an encoded line break', 'x-key=s3cret%0d%0aevil: 1', 'entry 1 has a value with a line break or NUL'],
  ])('refuses export headers with %s, naming the entry but never its value', (_, value, message) => {
    const found = problems({ OTEL_EXPORTER_OTLP_HEADERS: value });
    expect(found).toEqual([`OTEL_EXPORTER_OTLP_HEADERS${message.startsWith('must') ? ' ' : ': '}${message}`]);
    expect(found[0]).not.toContain('s3cret');
  });
});
