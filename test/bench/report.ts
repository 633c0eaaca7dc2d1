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
  /** Every round of every scenario, in the order run (the tables above are merged from these). */
  rounds: Record<'fixedRate' | 'max' | 'stream', Partial<Record<Target, Measured[]>>>;
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

/** A figure over the rounds: the median, and the lowest and highest round. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

function spread(values: number[]): Spread | null {
  const ok = values.filter((v) => Number.isFinite(v));
  return ok.length ? { median: median(ok), min: Math.min(...ok), max: Math.max(...ok) } : null;
}

/** Data plane against bare proxy round by round: each pair ran back to back, so drift cancels out. */
function paired(
  rounds: Partial<Record<Target, Measured[]>>,
  f: (dp: Measured, bare: Measured) => number,
): Spread | null {
  const dp = rounds['data-plane'] ?? [];
  const bare = rounds['bare-proxy'] ?? [];
  return spread(dp.slice(0, bare.length).map((d, i) => f(d, bare[i])));
}

export interface Verdict {
  p50OverheadMs: Spread | null;
  p99OverheadMs: Spread | null;
  throughputShare: Spread | null;
  perCoreShare: Spread | null;
  passed: boolean;
}

export function verdict(r: Report): Verdict {
  const v = {
    p50OverheadMs: paired(r.rounds.fixedRate, (d, b) => d.latencyMs.p50 - b.latencyMs.p50),
    p99OverheadMs: paired(r.rounds.fixedRate, (d, b) => d.latencyMs.p99 - b.latencyMs.p99),
    throughputShare: paired(r.rounds.max, (d, b) => d.rps / b.rps),
    perCoreShare: paired(r.rounds.max, (d, b) => (perCore(d) ?? NaN) / (perCore(b) ?? NaN)),
  };
  // Under a quota both saturate the same share of a core, so the rates compare directly. Pinned without a quota,
  // the side that saturates is the load generator's core: judge by requests per CPU second instead.
  const share = r.quotaShare === null && r.pinned ? v.perCoreShare : v.throughputShare;
  const all = Object.values(r.rounds).flatMap((byTarget) => Object.values(byTarget).flat());
  const clean = all.every((m) => m.errors === 0) && r.usage.recorded === r.usage.expected;
  const passed =
    clean &&
    v.p50OverheadMs !== null &&
    v.p50OverheadMs.median < targets.p50OverheadMs &&
    share !== null &&
    share.median >= targets.throughputShare;
  return { ...v, passed };
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
  const mb = r.max['bare-proxy'];
  const md = r.max['data-plane'];
  const show = (s: Spread | null, f: (n: number) => string) =>
    s ? `${f(s.median)}  (rounds ${f(s.min)} … ${f(s.max)})` : 'not measured';
  const target = (t: string) => `   target ${t}`;
  console.log('\nData plane relative to the bare proxy (medians of back-to-back rounds):');
  console.log(
    `  p50 overhead at the fixed rate   ${show(v.p50OverheadMs, ms)}${target(`< ${targets.p50OverheadMs} ms`)}`,
  );
  console.log(`  p99 overhead at the fixed rate   ${show(v.p99OverheadMs, ms)}`);
  const judged = r.quotaShare !== null || !r.pinned ? 'throughput' : 'perCore';
  const goal = target(`≥ ${pct(targets.throughputShare)}`);
  console.log(
    `  maximum throughput               ${show(v.throughputShare, pct)}${judged === 'throughput' ? goal : ''}`,
  );
  if (r.quotaShare !== null && mb && md) {
    const oneCore = (m: Measured) => (m.rps / r.quotaShare!).toFixed(0);
    console.log(
      `    one core, from the rates under the ${pct(r.quotaShare)} quota: ${oneCore(md)} vs ${oneCore(mb)} requests/s`,
    );
  }
  console.log(`  requests per CPU second          ${show(v.perCoreShare, pct)}${judged === 'perCore' ? goal : ''}`);
  if (mb?.peakRssMiB && md?.peakRssMiB) {
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
