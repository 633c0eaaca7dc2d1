// CSV files: RFC 4180 quoting, CRLF, formula-looking text defused, plain decimals; the table and series layouts.
import { describe, expect, it } from 'vitest';
import { csvCell, seriesCsv, tableCsv, toCsv } from './usage-csv';
import { zeroAmounts } from './usage-series';

describe('usage CSV', () => {
  it('quotes cells with commas, quotes or line breaks, and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell(null)).toBe('');
  });

  it('writes numbers as plain decimals, negative numbers untouched', () => {
    expect(csvCell(42)).toBe('42');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(0.0000001)).toBe('0.0000001');
    expect(csvCell(0.1 + 0.2)).toBe('0.3');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('ends every line with CRLF', () => {
    expect(toCsv(['a', 'b'], [[1, 'x']])).toBe('a,b\r\n1,x\r\n');
  });

  it('table: rank, id and name of named dimensions, the amounts', () => {
    const csv = tableCsv('KEY', [
      {
        value: 'k1',
        name: 'prod, eu',
        amounts: { ...zeroAmounts(), requests: 3, inputTokens: 30, outputTokens: 9, costUsd: 0.00012 },
      },
      { value: null, name: 'No key', amounts: { ...zeroAmounts(), requests: 1 } },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'rank,key_id,key_name,requests,errors,input_tokens,cached_input_tokens,output_tokens,cost_usd',
      '1,k1,"prod, eu",3,0,30,0,9,0.00012',
      '2,,No key,1,0,0,0,0,0',
      '',
    ]);
  });

  it('table: models are their own name', () => {
    const csv = tableCsv('MODEL', [{ value: 'gpt-x', name: 'gpt-x', amounts: zeroAmounts() }]);
    expect(csv.split('\r\n').slice(0, 2)).toEqual([
      'rank,model,requests,errors,input_tokens,cached_input_tokens,output_tokens,cost_usd',
      '1,gpt-x,0,0,0,0,0,0',
    ]);
  });

  it('series: one row per bucket and group with usage, Other without an id', () => {
    const buckets = ['2026-11-10T12:00:00.000Z', '2026-11-10T13:00:00.000Z'];
    const a = { ...zeroAmounts(), requests: 2, costUsd: 0.5 };
    const groups = [
      { value: 't1', other: false, perBucket: [a, zeroAmounts()], total: a },
      { value: null, other: true, perBucket: [zeroAmounts(), a], total: a },
    ];
    const csv = seriesCsv('TEAM', buckets, groups, (g) => (g.other ? 'Other' : 'Core'));
    expect(csv.split('\r\n')).toEqual([
      'bucket_start,team_id,team_name,requests,errors,input_tokens,cached_input_tokens,output_tokens,cost_usd',
      '2026-11-10T12:00:00.000Z,t1,Core,2,0,0,0,0,0.5',
      '2026-11-10T13:00:00.000Z,,Other,2,0,0,0,0,0.5',
      '',
    ]);
  });
});
