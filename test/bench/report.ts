// The benchmark's report: what one run measured (the raw figures written to test-results/bench.json), and how it is
// printed — the table (medians of rounds), a note when the helper core bound the max, and the verdicts.
import type { BlockRun } from './blocks.ts';
import { type Row, type Table, table } from './figures.ts';
import { compare, show } from './format.ts';
import { type Checks, type Verdict, verdicts } from './verdicts.ts';

export interface Report {
  at: string;
  node: string;
  cores: number;
  /** Whether the process under test had core 0 to itself (everything else on core 1). */
  pinned: boolean;
  /** Opt-in cgroup cap on the process under test in the max blocks (share of a core); null: uncapped. */
  quotaShare: number | null;
  settings: {
    rounds: number;
    seconds: number;
    idleSeconds: number;
    warmupSeconds: number;
    connections: number;
    wrkThreads: number;
  };
  /** Keys in the world of the keys-100k block, and how long a fresh data plane took to serve them; null: not run. */
  keys: { count: number; applySeconds: number } | null;
  /** Every block of every round and target, in the order run. */
  runs: BlockRun[];
  usage: Checks['usage'];
}

/** Below this share of its core at max, the bare proxy was held back by the helper core (wrk and the fixture). */
const saturated = 0.9;

function printTable(t: Table): void {
  const cols = [44, 14, 14, 16];
  const line = (cells: string[]) =>
    console.log(`  ${cells.map((c, i) => (i === 0 ? c.padEnd(cols[i]) : c.padStart(cols[i]))).join('')}`);
  line(['', 'bare proxy', 'data plane', 'data plane/bare']);
  for (const row of Object.values(t) as Row[]) {
    line([
      row.label,
      show(row.bare, row.unit),
      show(row.dataPlane, row.unit),
      compare(row.bare, row.dataPlane, row.unit),
    ]);
  }
}

/** At max both sides share the helper core's limit; CPU per request says what each would do with a core of its own. */
function printMaxNote(t: Table): void {
  const kinds = [
    ['JSON', t.coreAtMaxJson, t.cpuAtMaxJson],
    ['streaming', t.coreAtMaxStream, t.cpuAtMaxStream],
  ] as const;
  for (const [kind, core, cpu] of kinds) {
    if (!Number.isFinite(cpu.bare) || !Number.isFinite(cpu.dataPlane)) continue;
    console.log(
      `  CPU per request at max, ${kind}: data plane ${compare(cpu.bare, cpu.dataPlane, 'us')} the bare proxy's; ` +
        `on a core of its own it would reach ~${((cpu.bare / cpu.dataPlane) * 100).toFixed(0)}% of the bare proxy's rate.`,
    );
    if (core.bare < saturated) {
      console.log(
        `  Note: at max ${kind} the bare proxy used ${show(core.bare, 'core')} of its core: the rate was bound by the ` +
          'helper core (wrk and the fixture), not by the proxy, so the throughput ratio understates the gap and ' +
          'CPU per request is the fairer comparison.',
      );
    }
  }
}

function printVerdicts(list: Verdict[]): void {
  for (const v of list) {
    const mark = v.passed === null ? 'n/a ' : v.passed ? 'PASS' : 'FAIL';
    console.log(`  ${mark}  ${v.label}\n        ${v.detail}`);
  }
  const judged = list.filter((v) => v.passed !== null);
  const met = judged.filter((v) => v.passed).length;
  console.log(`\n${met === judged.length ? 'PASS' : 'MISS'}: ${met} of ${judged.length} targets met.`);
}

/** Prints the report; returns the table and verdicts it printed, for the raw figures. */
export function printReport(r: Report): { table: Table; verdicts: Verdict[] } {
  const t = table(r.runs);
  const errors = r.runs.reduce((n, run) => n + run.warmup.errors + (run.load?.errors ?? 0), 0);
  const judged = verdicts(t, { errors, usage: r.usage });
  const where = r.pinned ? 'process under test alone on core 0; wrk, fixture and control plane on core 1' : 'unpinned';
  const quota = r.quotaShare === null ? '' : `; capped at ${r.quotaShare * 100}% of its core in the max blocks`;
  const s = r.settings;
  console.log(`\n===== results (Node ${r.node}, ${r.cores} cores, ${where}${quota}) =====`);
  console.log(
    `Medians over ${s.rounds} round(s) (of an even count, the mean of the middle two); a fresh process per block; ${s.seconds} s measured ` +
      `(idle: ${s.idleSeconds} s) after ${s.warmupSeconds} s of warm-up; wrk with ${s.connections} connections, ${s.wrkThreads} thread(s). ` +
      'MB = 10^6 bytes.',
  );
  if (r.keys) {
    console.log(
      `The 100,000-keys row: ${r.keys.count} keys; a fresh data plane served them after ${r.keys.applySeconds.toFixed(1)} s.`,
    );
  }
  console.log('');
  printTable(t);
  console.log('');
  printMaxNote(t);
  console.log('\nTargets (issue 9; the data plane with authentication, usage, metrics and the policy pipeline on):');
  printVerdicts(judged);
  return { table: t, verdicts: judged };
}
