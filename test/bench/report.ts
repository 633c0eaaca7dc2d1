// The benchmark's report: the raw figures of one run, the ratios derived from them, and the targets they meet or miss.
import type { LoadResult } from './load.ts';

export type Target = 'direct' | 'bare-proxy' | 'data-plane';

/** A load result plus what the target process spent on it. */
export interface Measured extends LoadResult {
  /** CPU seconds (user + system, all threads) the target used during the load; null when not observed. */
  cpuSeconds: number | null;
  rssMiB: number | null;
  peakRssMiB: number | null;
}

export interface Report {
  at: string;
  node: string;
  cores: number;
  /** Whether the process under test had a core of its own. */
  pinned: boolean;
  /** Share of that core the process under test was capped at in the throughput scenario (null: no cap). */
  quotaShare: number | null;
  seconds: number;
  fixedRate: Partial<Record<Target, Measured>>;
  max: Partial<Record<Target, Measured>>;
  stream: Partial<Record<Target, Measured>>;
  /** Requests the data plane counted, and usage records that reached PostgreSQL for them. */
  usage: { expected: number; recorded: number };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

/** Rounds of one target merged: counts and CPU time summed, rates and latencies the median round's. */
export function combine(runs: Measured[]): Measured {
  const sum = (f: (m: Measured) => number) => runs.reduce((n, m) => n + f(m), 0);
  const med = (f: (m: Measured) => number) => median(runs.map(f));
  const observed = runs.every((m) => m.cpuSeconds !== null);
  return {
    mode: runs[0].mode,
    sent: sum((m) => m.sent),
    ok: sum((m) => m.ok),
    errors: sum((m) => m.errors),
    firstError: runs.find((m) => m.firstError)?.firstError ?? null,
    durationS: sum((m) => m.durationS),
    rps: med((m) => m.rps),
    latencyMs: {
      p50: med((m) => m.latencyMs.p50),
      p90: med((m) => m.latencyMs.p90),
      p99: med((m) => m.latencyMs.p99),
      max: Math.max(...runs.map((m) => m.latencyMs.max)),
      mean: med((m) => m.latencyMs.mean),
    },
    ttfbMs: runs[0].ttfbMs && { p50: med((m) => m.ttfbMs?.p50 ?? NaN), p99: med((m) => m.ttfbMs?.p99 ?? NaN) },
    cpuSeconds: observed ? sum((m) => m.cpuSeconds ?? 0) : null,
    rssMiB: runs[runs.length - 1].rssMiB,
    peakRssMiB: runs[runs.length - 1].peakRssMiB,
  };
}

/** Targets from the foundation issue. */
export const targets = { p50OverheadMs: 0.5, throughputShare: 0.6 };

const ms = (v: number) => `${v.toFixed(3)} ms`;
const pct = (v: number) => `${(v * 100).toFixed(0)}%`;

/** Requests one fully used core could serve, from requests done per CPU second spent. */
export function perCore(m: Measured): number | null {
  return m.cpuSeconds ? m.ok / m.cpuSeconds : null;
}

function table(title: string, rows: Partial<Record<Target, Measured>>, stream = false): void {
  console.log(`\n${title}`);
  const head = ['target', 'rps', 'p50', 'p99', stream ? 'ttfb p50' : 'max', 'core used', 'req/CPU-s', 'peak RSS'];
  console.log(`  ${head.map((h, i) => (i === 0 ? h.padEnd(11) : h.padStart(11))).join('')}`);
  for (const [name, m] of Object.entries(rows) as [Target, Measured][]) {
    const core = m.cpuSeconds === null ? '—' : pct(m.cpuSeconds / m.durationS);
    const capacity = perCore(m);
    const cells = [
      m.rps.toFixed(0),
      ms(m.latencyMs.p50),
      ms(m.latencyMs.p99),
      stream && m.ttfbMs ? ms(m.ttfbMs.p50) : ms(m.latencyMs.max),
      core,
      capacity === null ? '—' : capacity.toFixed(0),
      m.peakRssMiB === null ? '—' : `${m.peakRssMiB.toFixed(0)} MiB`,
    ];
    const errors = m.errors ? `  (${m.errors} errors, first: ${m.firstError})` : '';
    console.log(`  ${name.padEnd(11)}${cells.map((c) => c.padStart(11)).join('')}${errors}`);
  }
}

export interface Verdict {
  p50OverheadMs: number;
  p99OverheadMs: number;
  throughputShare: number;
  perCoreShare: number | null;
  passed: boolean;
}

export function verdict(r: Report): Verdict | null {
  const [fb, fd, mb, md] = [
    r.fixedRate['bare-proxy'],
    r.fixedRate['data-plane'],
    r.max['bare-proxy'],
    r.max['data-plane'],
  ];
  if (!fb || !fd || !mb || !md) return null;
  const cb = perCore(mb);
  const cd = perCore(md);
  const v = {
    p50OverheadMs: fd.latencyMs.p50 - fb.latencyMs.p50,
    p99OverheadMs: fd.latencyMs.p99 - fb.latencyMs.p99,
    throughputShare: md.rps / mb.rps,
    perCoreShare: cb && cd ? cd / cb : null,
  };
  // Under a quota both saturate the same share of a core, so the rates compare directly. Pinned without a quota,
  // the side that saturates is the load generator's core: judge by requests per CPU second instead.
  const share = r.quotaShare === null && r.pinned && v.perCoreShare !== null ? v.perCoreShare : v.throughputShare;
  const clean = [fb, fd, mb, md].every((m) => m.errors === 0) && r.usage.recorded === r.usage.expected;
  return { ...v, passed: clean && v.p50OverheadMs < targets.p50OverheadMs && share >= targets.throughputShare };
}

export function printReport(r: Report): void {
  const quota = r.quotaShare === null ? '' : `, capped at ${pct(r.quotaShare)} of it for throughput`;
  console.log(
    `\n===== results (${r.node}, ${r.cores} cores${r.pinned ? `, target pinned to core 0${quota}` : ''}) =====`,
  );
  table(`Fixed rate (open loop), ${r.seconds} s per target`, r.fixedRate);
  table(`Maximum throughput (closed loop), ${r.seconds} s per target`, r.max);
  table(`Streams of 16 chunks (open loop), ${r.seconds} s per target`, r.stream, true);

  const v = verdict(r);
  if (!v) return;
  const mb = r.max['bare-proxy']!;
  const md = r.max['data-plane']!;
  console.log('\nData plane relative to the bare proxy (same run):');
  console.log(`  p50 overhead at the fixed rate   ${ms(v.p50OverheadMs)}   (target < ${targets.p50OverheadMs} ms)`);
  console.log(`  p99 overhead at the fixed rate   ${ms(v.p99OverheadMs)}`);
  const judged = r.quotaShare !== null || !r.pinned ? 'throughput' : 'perCore';
  const target = `   (target ≥ ${pct(targets.throughputShare)})`;
  if (r.quotaShare !== null) {
    const oneCore = (m: Measured) => (m.rps / r.quotaShare!).toFixed(0);
    console.log(
      `  maximum throughput               ${pct(v.throughputShare)} of the bare proxy's${target}` +
        `\n    (one core, from the rates under the ${pct(r.quotaShare)} quota: ${oneCore(md)} vs ${oneCore(mb)} requests/s)`,
    );
  } else {
    console.log(
      `  maximum throughput               ${pct(v.throughputShare)} of the bare proxy's${judged === 'throughput' ? target : ''}`,
    );
  }
  if (v.perCoreShare !== null) {
    console.log(
      `  requests per CPU second          ${pct(v.perCoreShare)} of the bare proxy's${judged === 'perCore' ? target : ''}`,
    );
  }
  if (mb.peakRssMiB !== null && md.peakRssMiB !== null) {
    console.log(`  peak memory                      ${(md.peakRssMiB / mb.peakRssMiB).toFixed(2)}× the bare proxy's`);
  }
  const usageOk = r.usage.recorded === r.usage.expected;
  console.log(
    `  usage records in PostgreSQL      ${r.usage.recorded} of ${r.usage.expected} requests${usageOk ? '' : '  ← MISMATCH'}`,
  );
  console.log(
    `\n${v.passed ? 'PASS' : 'MISS'}: the foundation's performance targets ${v.passed ? 'are met' : 'are not all met'}.`,
  );
}
