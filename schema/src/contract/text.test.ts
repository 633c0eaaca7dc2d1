// Text PostgreSQL can store: what is refused, how it is made safe, and where cuts fall.
import { describe, expect, it } from 'vitest';
import { pgText, pgTimestamp, storableText, unstorableTextReason } from './text.ts';
import { unstorableTexts } from './text-samples.ts';

describe('unstorableTextReason', () => {
  it.each(unstorableTexts)('refuses %s', (_kind, text) => {
    expect(unstorableTextReason(text)).toMatch(/must not contain/);
  });

  it.each([
    ['ASCII', 'gpt-4o-mini'],
    ['empty', ''],
    ['emoji (a whole surrogate pair)', 'model-😀'],
    ['right-to-left and zero-width characters', '\u202Eabc\u200B'],
    ['U+FFFD', '\uFFFD'],
  ])('accepts %s', (_kind, text) => {
    expect(unstorableTextReason(text)).toBeNull();
  });
});

describe('storableText', () => {
  it.each(unstorableTexts)('makes %s storable', (_kind, text) => {
    const safe = storableText(text, 256);
    expect(unstorableTextReason(safe)).toBeNull();
    expect(safe.length).toBe(text.length);
  });

  it('cuts to the limit in code points, never between the halves of a surrogate pair', () => {
    expect(storableText(`${'a'.repeat(255)}😀tail`, 256)).toBe(`${'a'.repeat(255)}😀`);
    expect(storableText('😀'.repeat(300), 256)).toBe('😀'.repeat(256));
    expect(storableText(`${'a'.repeat(300)}`, 256)).toBe('a'.repeat(256));
    // A caller's text cut after 256 UTF-16 units ends in a lone high surrogate: made whole, then counted.
    const cutMidPair = `${'a'.repeat(255)}😀`.slice(0, 256);
    expect(storableText(cutMidPair, 256)).toBe(`${'a'.repeat(255)}\uFFFD`);
  });

  it('leaves storable text within the limit as it is (same string)', () => {
    const text = 'gpt-4o-mini';
    expect(storableText(text, 256)).toBe(text);
  });
});

describe('pgText', () => {
  it('refuses unstorable text without echoing it', () => {
    const result = pgText(256).safeParse('secret\0value');
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain('secret');
  });

  it('counts limits in code points', () => {
    expect(pgText(2, 1).safeParse('😀😀').success).toBe(true);
    expect(pgText(1, 1).safeParse('😀😀').success).toBe(false);
    expect(pgText(3, 1).safeParse('').success).toBe(false);
  });
});

describe('pgTimestamp', () => {
  it.each([
    ['2030-01-01T10:00:00.000Z', true],
    ['2030-01-01T10:00:00+05:30', true],
    ['2030-01-01T10:00:00-15:59', true],
    ['0000-01-01T00:00:00Z', false],
    ['2030-01-01T10:00:00+16:00', false],
    ['2030-01-01T10:00:00+23:59', false],
    ['2030-02-30T10:00:00Z', false],
    ['yesterday', false],
  ])('%s storable: %s', (text, ok) => {
    expect(pgTimestamp().safeParse(text).success).toBe(ok);
  });
});
