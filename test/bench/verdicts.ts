// Issue 9's targets, judged on the benchmark's table: one verdict per target (null: its blocks did not run).
import type { Row, Table } from './figures.ts';
import { compare, show } from './format.ts';

export const goals = {
  /** Data plane's max requests/s as a share of the bare proxy's, JSON and streaming. */
  throughputShare: 0.8,
  /** Data plane's p99 at 2,000 requests/s as a multiple of the bare proxy's. */
  p99Factor: 2,
  /** Data plane's CPU when idle, as a share of one core. */
  idleCore: 0.01,
  /** Data plane's CPU at 200 requests/s over the bare proxy's, in shares of one core (0.02: 2 points). */
  coreAt200Points: 0.02,
  /** Data plane's peak resident memory over the bare proxy's, in MB (10^6 bytes). */
  memoryMB: 60,
};

export interface Verdict {
  label: string;
  passed: boolean | null;
  detail: string;
}

export interface Checks {
  /** Errors over every wrk run (warm-ups included). */
  errors: number;
  /** Requests the data planes counted, and usage records PostgreSQL holds. */
  usage: { expected: number; recorded: number };
}

const measured = (row: Row) => Number.isFinite(row.bare) && Number.isFinite(row.dataPlane);
const both = (row: Row) =>
  `data plane ${show(row.dataPlane, row.unit)}, bare proxy ${show(row.bare, row.unit)}: ${compare(row.bare, row.dataPlane, row.unit)}`;

function judge(label: string, row: Row, ok: (r: Row) => boolean): Verdict {
  return measured(row)
    ? { label, passed: ok(row), detail: both(row) }
    : { label, passed: null, detail: 'not measured' };
}

export function verdicts(t: Table, checks: Checks): Verdict[] {
  const share = (r: Row) => r.dataPlane / r.bare >= goals.throughputShare;
  const p99 = (r: Row) => r.dataPlane <= goals.p99Factor * r.bare;
  const memory = (r: Row) => r.dataPlane - r.bare <= goals.memoryMB;
  const pct = `${goals.throughputShare * 100}%`;
  const { expected, recorded } = checks.usage;
  return [
    judge(`max requests/s, JSON ≥ ${pct} of the bare proxy's`, t.maxJson, share),
    judge(`max requests/s, streaming ≥ ${pct} of the bare proxy's`, t.maxStream, share),
    judge(`p99 at 2,000 rps, JSON ≤ ${goals.p99Factor}× the bare proxy's`, t.p99Json, p99),
    judge(`p99 at 2,000 rps, streaming ≤ ${goals.p99Factor}× the bare proxy's`, t.p99Stream, p99),
    judge(
      `background CPU when idle < ${goals.idleCore * 100}% of a core`,
      t.coreIdle,
      (r) => r.dataPlane < goals.idleCore,
    ),
    judge(
      `CPU at 200 rps ≤ the bare proxy's + ${goals.coreAt200Points * 100} points`,
      t.coreAt200,
      (r) => r.dataPlane <= r.bare + goals.coreAt200Points,
    ),
    judge(`peak memory ≤ the bare proxy's + ${goals.memoryMB} MB`, t.peakRss, memory),
    judge(`peak memory with 100,000 keys ≤ the bare proxy's + ${goals.memoryMB} MB`, t.peakRssKeys, memory),
    {
      label: 'no errors; every request the data planes counted is one usage record in PostgreSQL',
      passed: checks.errors === 0 && recorded === expected,
      detail: `${checks.errors} errors; ${recorded} usage records for ${expected} requests`,
    },
  ];
}
