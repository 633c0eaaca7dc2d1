// The Grafana dashboard and Prometheus alert rules in deploy/observability/: every metric they query exists in the
// data plane, the rules the operator guide names are there, and the scaled compose setup provisions them.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../harness/paths.ts';

const dir = join(repoRoot, 'deploy', 'observability');
const metricsSource = readFileSync(join(repoRoot, 'data-plane', 'src', 'metrics.ts'), 'utf8');
/** Metric names the data plane registers (its own; the process metrics are prom-client's with a prefix). */
const defined = new Set([...metricsSource.matchAll(/'(gateway_[a-z_]+)'/g)].map((m) => m[1]));
const histograms = new Set(['gateway_request_duration_seconds', 'gateway_overhead_seconds']);

/** Metric names an expression selects (identifiers followed by `{`, `[` or standing alone as gateway_*). */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b(gateway_[a-z_]+|up)\b/g)].map((m) => m[1]);
}

function known(name: string): boolean {
  if (name === 'up' || defined.has(name)) return true;
  if (name.startsWith('gateway_process_')) return true; // prom-client's default metrics, prefixed
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return histograms.has(base) && defined.has(base);
}

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
  annotations: { summary: string; description: string };
}
const rules = (parse(readFileSync(join(dir, 'prometheus', 'alerts.yml'), 'utf8')) as { groups: { rules: Rule[] }[] })
  .groups[0].rules;

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}
const dashboard = JSON.parse(readFileSync(join(dir, 'grafana', 'dashboards', 'gateway.json'), 'utf8')) as {
  uid: string;
  panels: Panel[];
};

describe('Prometheus alert rules', () => {
  it('covers a node not applying config, a growing usage spool and the provider error rate', () => {
    const names = rules.map((r) => r.alert);
    expect(names).toEqual(
      expect.arrayContaining([
        'GatewayDataPlaneNoConfig',
        'GatewayDataPlaneConfigBehind',
        'GatewayUsageSpoolGrowing',
        'GatewayProviderErrorRate',
      ]),
    );
    expect(rules.find((r) => r.alert === 'GatewayDataPlaneConfigBehind')?.expr).toContain('gateway_config_version');
    expect(rules.find((r) => r.alert === 'GatewayUsageSpoolGrowing')?.expr).toContain('gateway_usage_backlog_records');
  });

  it.each(rules.map((r) => [r.alert, r] as const))(
    '%s queries metrics the data plane has and says what to do',
    (_, r) => {
      expect(metricsIn(r.expr).length).toBeGreaterThan(0);
      for (const m of metricsIn(r.expr)) expect(known(m), m).toBe(true);
      expect(['critical', 'warning']).toContain(r.labels.severity);
      expect(r.annotations.summary).toBeTruthy();
      expect(r.annotations.description).toBeTruthy();
    },
  );
});

describe('Grafana dashboard', () => {
  const panels = dashboard.panels.filter((p) => p.type !== 'row');

  it('shows traffic, errors, latency, overhead, spend by org and config lag per node', () => {
    const titles = panels.map((p) => p.title.toLowerCase()).join('\n');
    for (const topic of [
      'requests per second',
      'error',
      'latency',
      'overhead',
      'spend by org',
      'config lag per node',
    ]) {
      expect(titles).toContain(topic);
    }
  });

  it.each(panels.map((p) => [p.title, p] as const))('"%s" queries metrics the data plane has', (_, p) => {
    expect(p.targets?.length).toBeGreaterThan(0);
    for (const t of p.targets ?? []) for (const m of metricsIn(t.expr)) expect(known(m), m).toBe(true);
  });
});

describe('provisioning in compose.scaled.yaml', () => {
  const compose = readFileSync(join(repoRoot, 'deploy', 'compose', 'compose.scaled.yaml'), 'utf8');

  it('mounts the rules, the datasource and the dashboard where Prometheus and Grafana read them', () => {
    const prom = parse(readFileSync(join(dir, 'prometheus', 'prometheus.yml'), 'utf8')) as {
      rule_files: string[];
      scrape_configs: { static_configs: { targets: string[] }[] }[];
    };
    expect(compose).toContain(`../observability/prometheus/alerts.yml:${prom.rule_files[0]}:ro`);
    const provider = parse(readFileSync(join(dir, 'grafana', 'provisioning', 'dashboards', 'gateway.yml'), 'utf8'));
    expect(compose).toContain(`../observability/grafana/dashboards:${provider.providers[0].options.path}:ro`);
    expect(compose).toContain('../observability/grafana/provisioning:/etc/grafana/provisioning:ro');
    for (const f of ['provisioning/datasources/prometheus.yml', 'dashboards/gateway.json']) {
      expect(existsSync(join(dir, 'grafana', f))).toBe(true);
    }
    // Every data plane of the scaled setup is scraped.
    const targets = prom.scrape_configs[0].static_configs[0].targets;
    expect(targets).toEqual(['data-plane-1:8080', 'data-plane-2:8080', 'data-plane-3:8080']);
    for (const t of targets) expect(compose).toContain(`  ${t.split(':')[0]}:\n`);
  });
});
