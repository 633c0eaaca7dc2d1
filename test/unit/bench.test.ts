// The benchmark's pure parts: reading wrk's figures, the table's medians over rounds, and the verdicts on issue 9's
// targets.
import { describe, expect, it } from 'vitest';
import type { BlockName, BlockRun } from '../bench/blocks.ts';
import { mbPerMiB, median, table } from '../bench/figures.ts';
import type { Target } from '../bench/targets.ts';
import { verdicts } from '../bench/verdicts.ts';
import { type LoadResult, parseWrkOutput, wrkArgs } from '../bench/wrk.ts';

const wrkStdout = `Running 8s test @ http://127.0.0.1:4000/v1/chat/completions
  1 threads and 100 connections
Requests/sec:   1999.52
{"requests":16000,"duration_us":8000000,"bytes":1,"errors":{"connect":1,"read":2,"write":0,"timeout":3,"status":4},"latency_us":{"p50":500,"p90":900,"p99":2500,"max":9000,"mean":600.5}}
`;

describe('parseWrkOutput', () => {
  it("reads chat.lua's JSON line: rate, every kind of error summed, latency in ms", () => {
    const r = parseWrkOutput(wrkStdout, 2_000);
    expect(r).toMatchObject({ requestedRps: 2_000, requests: 16_000, errors: 10, durationS: 8, rps: 2_000 });
    expect(r.errorKinds.status).toBe(4);
    expect(r.latencyMs).toEqual({ p50: 0.5, p90: 0.9, p99: 2.5, max: 9, mean: 0.6005 });
  });

  it('fails with the output when wrk printed no figures', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1\n', null)).toThrow(/no figures.*unable to connect/s);
  });
});

describe('wrkArgs', () => {
  it("passes the script's arguments after --, rate 0 for closed loop, whole seconds", () => {
    const args = wrkArgs({
      url: 'http://127.0.0.1:1',
      key: 'k',
      model: 'm',
      stream: true,
      rate: null,
      seconds: 2.4,
      connections: 100,
      threads: 1,
    });
    expect(args).toContain('--duration=2s');
    expect(args.slice(args.indexOf('--'))).toEqual(['--', 'k', 'm', 'true', '0', '1']);
  });
});

describe('median', () => {
  it.each([
    [[], NaN],
    [[3], 3],
    [[4, 1], 2.5],
    [[5, 1, 3], 3],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

const load = (rps: number, p99: number): LoadResult => ({
  requestedRps: null,
  requests: rps * 10,
  errors: 0,
  errorKinds: { connect: 0, read: 0, write: 0, timeout: 0, status: 0 },
  durationS: 10,
  rps,
  latencyMs: { p50: p99 / 4, p90: p99 / 2, p99, max: p99 * 2, mean: p99 / 3 },
});

function run(block: BlockName, target: Target, round: number, o: Partial<BlockRun> = {}): BlockRun {
  return {
    block,
    target,
    round,
    load: block === 'idle' ? null : load(1_000, 10),
    warmup: load(1_000, 10),
    seconds: 10,
    cpuSeconds: 5,
    rssMiB: 50,
    peakRssMiB: 100,
    counted: null,
    ...o,
  };
}

describe('table', () => {
  it('takes each figure per round, then the median of the rounds', () => {
    const t = table([
      run('json-max', 'bare-proxy', 0, { load: load(4_000, 10), cpuSeconds: 9 }),
      run('json-max', 'bare-proxy', 1, { load: load(6_000, 10), cpuSeconds: 9 }),
      run('json-max', 'data-plane', 0, { load: load(3_000, 10), cpuSeconds: 9.5 }),
      run('json-max', 'data-plane', 1, { load: load(4_000, 10), cpuSeconds: 8.5 }),
    ]);
    expect(t.maxJson).toMatchObject({ bare: 5_000, dataPlane: 3_500 });
    // 9 CPU seconds over 40,000 and 60,000 requests: 225 and 150 µs.
    expect(t.cpuAtMaxJson.bare).toBeCloseTo(187.5);
    expect(t.coreAtMaxJson.dataPlane).toBeCloseTo(0.9);
    expect(t.maxStream.bare).toBeNaN();
  });

  it("takes a round's peak memory over its normal blocks, the 100,000-keys block apart, in MB", () => {
    const t = table([
      run('idle', 'data-plane', 0, { peakRssMiB: 80 }),
      run('json-max', 'data-plane', 0, { peakRssMiB: 120 }),
      run('keys-100k', 'data-plane', 0, { peakRssMiB: 300 }),
    ]);
    expect(t.peakRss.dataPlane).toBeCloseTo(120 * mbPerMiB);
    expect(t.peakRssKeys.dataPlane).toBeCloseTo(300 * mbPerMiB);
  });
});

describe('verdicts', () => {
  const both = (block: BlockName, bare: Partial<BlockRun>, dp: Partial<BlockRun>) => [
    run(block, 'bare-proxy', 0, bare),
    run(block, 'data-plane', 0, dp),
  ];
  const judge = (runs: BlockRun[], usage = { expected: 5, recorded: 5 }, errors = 0) =>
    Object.fromEntries(verdicts(table(runs), { errors, usage }).map((v) => [v.label, v.passed]));

  it.each<[string, BlockRun[], string, boolean]>([
    ['80% of max', both('json-max', { load: load(1_000, 1) }, { load: load(800, 1) }), 'max requests/s, JSON', true],
    ['79%', both('stream-max', { load: load(1_000, 1) }, { load: load(790, 1) }), 'max requests/s, streaming', false],
    ['2× p99', both('json-2000', { load: load(2_000, 5) }, { load: load(2_000, 10) }), 'p99 at 2,000 rps, JSON', true],
    [
      '2.1×',
      both('stream-2000', { load: load(2_000, 5) }, { load: load(2_000, 10.5) }),
      'p99 at 2,000 rps, str',
      false,
    ],
    ['0.9% idle', both('idle', { cpuSeconds: 0 }, { cpuSeconds: 0.09 }), 'background CPU', true],
    ['1% idle', both('idle', { cpuSeconds: 0 }, { cpuSeconds: 0.1 }), 'background CPU', false],
    ['+2 points', both('json-200', { cpuSeconds: 1 }, { cpuSeconds: 1.2 }), 'CPU at 200 rps', true],
    ['+3 points', both('json-200', { cpuSeconds: 1 }, { cpuSeconds: 1.3 }), 'CPU at 200 rps', false],
    ['+59.9 MB', both('json-max', { peakRssMiB: 100 }, { peakRssMiB: 100 + 59.9 / mbPerMiB }), 'peak memory ≤', true],
    ['+61 MB', both('keys-100k', { peakRssMiB: 100 }, { peakRssMiB: 100 + 61 / mbPerMiB }), 'peak memory with', false],
  ])('%s: %s', (_, runs, label, passed) => {
    const found = Object.entries(judge(runs)).filter(([l]) => l.startsWith(label));
    expect(found.map(([, p]) => p)).toEqual([passed]);
  });

  it('leaves a target whose block did not run unjudged', () => {
    expect(judge([])["max requests/s, JSON ≥ 80% of the bare proxy's"]).toBeNull();
  });

  it('fails the run check on any error or a usage record too many or too few', () => {
    const check = 'no errors; every request the data planes counted is one usage record in PostgreSQL';
    expect(judge([])[check]).toBe(true);
    expect(judge([], { expected: 5, recorded: 6 })[check]).toBe(false);
    expect(judge([], { expected: 5, recorded: 5 }, 1)[check]).toBe(false);
  });
});
