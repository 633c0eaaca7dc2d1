// Key metadata: JSON objects up to 4 KiB pass, anything else gets a message saying what is wrong.
import { describe, expect, it } from 'vitest';
import { formatMetadata, maxMetadataBytes, parseMetadata } from './metadata';

describe('key metadata', () => {
  it('reads empty text as an empty object', () => {
    expect(parseMetadata('  ')).toEqual({ ok: true, value: {} });
  });

  it('accepts a JSON object', () => {
    expect(parseMetadata('{"costCenter": "R-17", "n": 2}')).toEqual({ ok: true, value: { costCenter: 'R-17', n: 2 } });
  });

  it('refuses invalid JSON, arrays, null and scalars', () => {
    const bad = ['{costCenter: 1}', '[1, 2]', 'null', '"text"', '42'];
    for (const text of bad) {
      const result = parseMetadata(text);
      expect(result.ok, text).toBe(false);
    }
    const invalid = parseMetadata('{');
    expect(!invalid.ok && invalid.error).toMatch(/not valid JSON/);
    const array = parseMetadata('[]');
    expect(!array.ok && array.error).toMatch(/JSON object/);
  });

  it('counts bytes, not characters, against the 4 KiB limit', () => {
    const fits = JSON.stringify({ a: 'x'.repeat(maxMetadataBytes - 8) });
    expect(new TextEncoder().encode(fits).length).toBe(maxMetadataBytes);
    expect(parseMetadata(fits).ok).toBe(true);
    // "é" is two bytes in UTF-8: this object has fewer characters than the limit but more bytes.
    const tooBig = parseMetadata(JSON.stringify({ a: 'é'.repeat(maxMetadataBytes / 2) }));
    expect(!tooBig.ok && tooBig.error).toMatch(/at most 4096 bytes/);
  });

  it('formats stored metadata for editing, leaving an empty object empty', () => {
    expect(formatMetadata({})).toBe('');
    expect(formatMetadata(null)).toBe('');
    expect(formatMetadata({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
