import { describe, expect, it } from 'vitest';
import { isTimeZone, timeZoneError, timeZoneNames } from './time-zones';

describe('org time zones', () => {
  it('lists IANA zones, UTC first', () => {
    const names = timeZoneNames();
    expect(names[0]).toBe('UTC');
    expect(names).toContain('Europe/Paris');
    expect(names.filter((z) => z === 'UTC')).toHaveLength(1);
  });

  it.each([
    ['Europe/Paris', undefined],
    ['America/New_York', undefined],
    ['UTC', undefined],
    ['', 'Choose a time zone.'],
    ['Mars/Olympus', 'from the list'],
  ])('%j: %s', (value, message) => {
    const error = timeZoneError(value);
    if (message === undefined) expect(error).toBeUndefined();
    else expect(error).toContain(message);
    expect(isTimeZone(value)).toBe(message === undefined);
  });
});
