// The benchmark's table, computed from its block runs: one figure per row and target, the median over the rounds.
import type { BlockName, BlockRun } from './blocks.ts';
import type { Target } from './targets.ts';

/** MB (10^6 bytes, the unit) per MiB (2^20 bytes, what /proc reports). */
export const mbPerMiB = 2 ** 20 / 1e6;

export type Unit = 'rps' | 'us' | 'core' | 'ms' | 'MB';

export type RowKey =
  | 'maxJson'
  | 'maxStream'
  | 'cpuAtMaxJson'
  | 'cpuAtMaxStream'
  | 'coreAtMaxJson'
  | 'coreAtMaxStream'
  | 'cpuAt200'
  | 'coreAt200'
  | 'coreIdle'
  | 'achieved200'
  | 'achieved2000Json'
  | 'achieved2000Stream'
  | 'p50Json'
  | 'p90Json'
  | 'p99Json'
  | 'p50Stream'
  | 'p90Stream'
  | 'p99Stream'
  | 'peakRss'
  | 'peakRssKeys';

export interface Row {
  key: RowKey;
  label: string;
  unit: Unit;
  /** Median over the rounds; NaN where the block did not run. */
  bare: number;
  dataPlane: number;
}

type Of = (runs: BlockRun[]) => number | undefined;

/** A figure of one block run, found among the runs of one round and target. */
const inBlock =
  (name: BlockName, f: (r: BlockRun) => number | undefined): Of =>
  (runs) => {
    const run = runs.find((r) => r.block === name);
    return run && f(run);
  };

const rps = (r: BlockRun) => r.load?.rps;
/** CPU per answered request, in µs. */
const cpuPerRequest = (r: BlockRun) => (r.load?.requests ? (r.cpuSeconds / r.load.requests) * 1e6 : undefined);
/** Share of one core used over the window (1 = a whole core). */
const coreShare = (r: BlockRun) => r.cpuSeconds / r.seconds;
const latency = (q: 'p50' | 'p90' | 'p99') => (r: BlockRun) => r.load?.latencyMs[q];
/** Highest VmHWM of the round's normal blocks (each a fresh process), in MB. */
const peakOfRound: Of = (runs) => {
  const peaks = runs.filter((r) => r.block !== 'keys-100k').map((r) => r.peakRssMiB * mbPerMiB);
  return peaks.length ? Math.max(...peaks) : undefined;
};

const specs: { key: RowKey; label: string; unit: Unit; of: Of }[] = [
  { key: 'maxJson', label: 'max requests/s, JSON', unit: 'rps', of: inBlock('json-max', rps) },
  { key: 'maxStream', label: 'max requests/s, streaming (8 chunks)', unit: 'rps', of: inBlock('stream-max', rps) },
  { key: 'cpuAtMaxJson', label: 'CPU per request at max, JSON', unit: 'us', of: inBlock('json-max', cpuPerRequest) },
  {
    key: 'cpuAtMaxStream',
    label: 'CPU per request at max, streaming',
    unit: 'us',
    of: inBlock('stream-max', cpuPerRequest),
  },
  { key: 'coreAtMaxJson', label: 'core used at max, JSON', unit: 'core', of: inBlock('json-max', coreShare) },
  { key: 'coreAtMaxStream', label: 'core used at max, streaming', unit: 'core', of: inBlock('stream-max', coreShare) },
  { key: 'cpuAt200', label: 'CPU per request at 200 rps, JSON', unit: 'us', of: inBlock('json-200', cpuPerRequest) },
  { key: 'coreAt200', label: 'core used at 200 rps, JSON', unit: 'core', of: inBlock('json-200', coreShare) },
  { key: 'coreIdle', label: 'core used idle (background)', unit: 'core', of: inBlock('idle', coreShare) },
  { key: 'achieved200', label: 'rate achieved, 200 rps asked, JSON', unit: 'rps', of: inBlock('json-200', rps) },
  {
    key: 'achieved2000Json',
    label: 'rate achieved, 2,000 rps asked, JSON',
    unit: 'rps',
    of: inBlock('json-2000', rps),
  },
  {
    key: 'achieved2000Stream',
    label: 'rate achieved, 2,000 rps asked, streaming',
    unit: 'rps',
    of: inBlock('stream-2000', rps),
  },
  { key: 'p50Json', label: 'p50 at 2,000 rps, JSON', unit: 'ms', of: inBlock('json-2000', latency('p50')) },
  { key: 'p90Json', label: 'p90 at 2,000 rps, JSON', unit: 'ms', of: inBlock('json-2000', latency('p90')) },
  { key: 'p99Json', label: 'p99 at 2,000 rps, JSON', unit: 'ms', of: inBlock('json-2000', latency('p99')) },
  { key: 'p50Stream', label: 'p50 at 2,000 rps, streaming', unit: 'ms', of: inBlock('stream-2000', latency('p50')) },
  { key: 'p90Stream', label: 'p90 at 2,000 rps, streaming', unit: 'ms', of: inBlock('stream-2000', latency('p90')) },
  { key: 'p99Stream', label: 'p99 at 2,000 rps, streaming', unit: 'ms', of: inBlock('stream-2000', latency('p99')) },
  { key: 'peakRss', label: 'peak resident memory', unit: 'MB', of: peakOfRound },
  {
    key: 'peakRssKeys',
    label: 'peak resident memory, 100,000 keys',
    unit: 'MB',
    of: inBlock('keys-100k', (r) => r.peakRssMiB * mbPerMiB),
  },
];

/** The middle value; with an even count, the mean of the two middle ones. NaN for none. */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A row's figure for one target: computed per round from that round's runs, then the median of the rounds. */
function figure(runs: BlockRun[], target: Target, of: Of): number {
  const mine = runs.filter((r) => r.target === target);
  const rounds = [...new Set(mine.map((r) => r.round))];
  const values = rounds.flatMap((round) => {
    const v = of(mine.filter((r) => r.round === round));
    return v === undefined || !Number.isFinite(v) ? [] : [v];
  });
  return median(values);
}

export type Table = Record<RowKey, Row>;

export function table(runs: BlockRun[]): Table {
  return Object.fromEntries(
    specs.map(({ key, label, unit, of }) => [
      key,
      { key, label, unit, bare: figure(runs, 'bare-proxy', of), dataPlane: figure(runs, 'data-plane', of) },
    ]),
  ) as Table;
}
