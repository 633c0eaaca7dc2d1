// Expiry choices of the key form turn into the right timestamps and reject past dates.
import { describe, expect, it } from 'vitest';
import { customExpiryError, expiresAt } from './expiry';

describe('key expiry', () => {
  const now = Date.UTC(2030, 0, 1);

  it('maps presets to days from now and "never" to no expiry', () => {
    expect(expiresAt('never', '', now)).toBeUndefined();
    expect(expiresAt('30d', '', now)).toBe('2030-01-31T00:00:00.000Z');
    expect(expiresAt('365d', '', now)).toBe('2031-01-01T00:00:00.000Z');
  });

  it('validates the custom date only when it is chosen', () => {
    expect(customExpiryError('30d', '')).toBeUndefined();
    expect(customExpiryError('custom', '')).toMatch(/Choose/);
    expect(customExpiryError('custom', '2000-01-01T00:00')).toMatch(/future/);
    expect(customExpiryError('custom', '2999-01-01T00:00')).toBeUndefined();
  });
});
