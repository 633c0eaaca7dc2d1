// The metrics exposition: counters and cumulative histogram buckets in Prometheus text format.
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from './metrics.ts';

const labels = { org: 'o', team: 't', model: 'm', provider: 'openai', status: 200, user: 'u', key: 'k' };

describe('GatewayMetrics', () => {
  it('exposes counters, token directions and cumulative histograms', async () => {
    const m = new GatewayMetrics({ userLabels: false, keyLabels: false });
    m.observe(labels, {
      latencySeconds: 0.02,
      overheadSeconds: 0.0003,
      inputTokens: 10,
      outputTokens: 4,
      costUsd: 0.5,
    });
    m.observe(labels, {
      latencySeconds: 500,
      overheadSeconds: 0.00005,
      inputTokens: 1,
      outputTokens: 0,
      costUsd: 0.25,
    });
    const text = await m.metrics();
    const l = 'org="o",team="t",model="m",provider="openai",status="200"';
    expect(text).toContain(`gateway_requests_total{${l}} 2`);
    expect(text).toContain(`gateway_tokens_total{${l},direction="input"} 11`);
    expect(text).toContain(`gateway_tokens_total{${l},direction="output"} 4`);
    expect(text).toContain(`gateway_cost_usd_total{${l}} 0.75`);
    expect(text).toContain(`gateway_request_duration_seconds_bucket{le="0.01",${l}} 0`);
    expect(text).toContain(`gateway_request_duration_seconds_bucket{le="0.025",${l}} 1`);
    expect(text).toContain(`gateway_request_duration_seconds_bucket{le="300",${l}} 1`);
    expect(text).toContain(`gateway_request_duration_seconds_bucket{le="+Inf",${l}} 2`);
    expect(text).toContain(`gateway_request_duration_seconds_count{${l}} 2`);
    expect(text).toContain(`gateway_overhead_seconds_bucket{le="0.0001",${l}} 1`);
    expect(text).toContain(`gateway_overhead_seconds_bucket{le="0.0005",${l}} 2`);
    expect(text).toContain('# TYPE gateway_overhead_seconds histogram');
    expect(text).not.toContain('user=');
  });

  it('adds user and key labels only when enabled', async () => {
    const m = new GatewayMetrics({ userLabels: true, keyLabels: true });
    m.observe(labels, { latencySeconds: 1, overheadSeconds: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(await m.metrics()).toContain(
      'gateway_requests_total{org="o",team="t",model="m",provider="openai",status="200",user="u",key="k"} 1',
    );
  });

  it('exposes the applied config version and when it was applied, 0 before the first snapshot', async () => {
    const m = new GatewayMetrics({ userLabels: false, keyLabels: false });
    let applied: { version: number; appliedAt: number } | null = null;
    m.configSource = () => applied;
    expect(await m.metrics()).toContain('gateway_config_version 0');
    applied = { version: 42, appliedAt: 1_700_000_000_500 };
    const text = await m.metrics();
    expect(text).toContain('gateway_config_version 42');
    expect(text).toContain('gateway_config_applied_timestamp_seconds 1700000000.5');
  });

  it('reads the usage backlog and dead letters at each scrape', async () => {
    const m = new GatewayMetrics({ userLabels: false, keyLabels: false });
    let figures = { backlog: 12, deadLetterRecords: 0 };
    m.usageSource = () => figures;
    expect(await m.metrics()).toContain('gateway_usage_backlog_records 12');
    figures = { backlog: 0, deadLetterRecords: 3 };
    const text = await m.metrics();
    expect(text).toContain('gateway_usage_backlog_records 0');
    expect(text).toContain('gateway_usage_dead_letter_records 3');
  });
});
