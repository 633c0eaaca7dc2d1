// The text report: one block per target, or one table with a column per target when several were compared.
import type { Percentiles, TargetResult } from './result.ts';

const num = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

const pct = (p: Percentiles | null, k: keyof Percentiles) => (p ? num(p[k], 1) : '—');

/** Rows of label → value per target; the same rows serve the single and the side-by-side report. */
function rows(r: TargetResult): [string, string][] {
  const out: [string, string][] = [
    ['url', r.url],
    [
      'test',
      `${r.api}, ${r.stream ? 'stream' : 'JSON'}, ${
        r.mode === 'open-loop'
          ? `${num(r.rate ?? 0)} req/s (≤${r.concurrency} in flight)`
          : `${r.concurrency} in flight`
      }`,
    ],
    ['requests', `${num(r.sent, 0)} sent, ${num(r.ok, 0)} ok, ${num(r.failed, 0)} failed`],
    ['success rate', `${num(r.successRate, 2)} %`],
    ['duration', `${num(r.elapsedSeconds, 2)} s${r.interrupted ? ' (interrupted)' : ''}`],
    ['requests/s', num(r.requestsPerSecond)],
    ['ok/s', num(r.okPerSecond)],
    ['latency p50 ms', pct(r.latencyMs, 'p50')],
    ['latency p90 ms', pct(r.latencyMs, 'p90')],
    ['latency p99 ms', pct(r.latencyMs, 'p99')],
    ['latency max ms', pct(r.latencyMs, 'max')],
  ];
  if (r.stream) {
    out.push(['ttft p50 ms', pct(r.ttftMs, 'p50')], ['ttft p90 ms', pct(r.ttftMs, 'p90')]);
    out.push(['ttft p99 ms', pct(r.ttftMs, 'p99')], ['ttft max ms', pct(r.ttftMs, 'max')]);
  }
  out.push(['output tokens', num(r.outputTokens, 0)], ['max in flight', num(r.maxInFlight, 0)]);
  return out;
}

function errorLines(r: TargetResult, indent: string): string[] {
  return r.errors.map(
    (e) =>
      `${indent}${String(e.count).padStart(6)} × ${e.status === 0 ? 'no response' : e.status} ${e.code}${
        e.example ? `: ${e.example.slice(0, 100)}` : ''
      }`,
  );
}

export function formatReport(results: TargetResult[]): string {
  const lines: string[] = [];
  if (results.length === 1) {
    const r = results[0];
    lines.push(r.name);
    for (const [label, value] of rows(r)) lines.push(`  ${label.padEnd(15)} ${value}`);
    if (r.errors.length) lines.push('  errors (by status and code):', ...errorLines(r, '  '));
    return lines.join('\n');
  }
  const table = results.map(rows);
  const labels = table[0].map(([label]) => label);
  const widths = results.map((r, i) => Math.max(r.name.length, ...table[i].map(([, v]) => v.length)));
  const row = (label: string, cells: string[]) =>
    `${label.padEnd(15)}  ${cells.map((c, i) => c.padStart(widths[i])).join('  ')}`.trimEnd();
  lines.push(
    row(
      '',
      results.map((r) => r.name),
    ),
  );
  for (const label of labels) {
    if (label !== 'url')
      lines.push(
        row(
          label,
          table.map((t) => t.find(([l]) => l === label)?.[1] ?? '—'),
        ),
      );
  }
  for (const r of results) {
    lines.push(`${r.name}: ${r.url}`);
    if (r.errors.length) lines.push('  errors (by status and code):', ...errorLines(r, '  '));
  }
  return lines.join('\n');
}
