// Rotation grace choices become the right previousSecretValidUntil, and a custom end stays within 30 days.
import { describe, expect, it } from 'vitest';
import { graceDateDisabled, graceError, graceUntil, maxGraceMs } from './grace';

describe('rotation grace period', () => {
  const now = Date.UTC(2030, 0, 1, 12);

  it('ends the old secret at once without grace', () => {
    expect(graceUntil('none', null, now)).toBeNull();
  });

  it('maps presets to an hour, a day and a week from now', () => {
    expect(graceUntil('1h', null, now)).toBe('2030-01-01T13:00:00.000Z');
    expect(graceUntil('1d', null, now)).toBe('2030-01-02T12:00:00.000Z');
    expect(graceUntil('7d', null, now)).toBe('2030-01-08T12:00:00.000Z');
  });

  it('takes a custom end within 30 days', () => {
    const end = now + 3 * 24 * 3600 * 1000;
    expect(graceError('custom', end, now)).toBeUndefined();
    expect(graceUntil('custom', end, now)).toBe(new Date(end).toISOString());
    expect(graceError('custom', now + maxGraceMs, now)).toBeUndefined();
  });

  it('refuses a missing, past or too distant custom end', () => {
    expect(graceError('custom', null, now)).toMatch(/Choose/);
    expect(graceError('custom', now - 1, now)).toMatch(/future/);
    expect(graceError('custom', now + maxGraceMs + 1, now)).toMatch(/30 days/);
    expect(() => graceUntil('custom', null, now)).toThrow();
  });

  it('validates the custom end only when it is chosen', () => {
    expect(graceError('7d', null, now)).toBeUndefined();
  });

  it('greys out days before today and after the limit in the picker', () => {
    expect(graceDateDisabled(now - 2 * 24 * 3600 * 1000, now)).toBe(true);
    expect(graceDateDisabled(now + 3600 * 1000, now)).toBe(false);
    expect(graceDateDisabled(now + maxGraceMs + 24 * 3600 * 1000, now)).toBe(true);
  });
});
