// The org's time zone, in which its budgets reset (days, Monday weeks, months): an IANA name the browser knows.
// The select lists the browser's zones; the rule accepts any zone the browser can format in, as the server's does.

/** Every IANA zone the browser knows, with UTC first. */
export function timeZoneNames(): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...known.filter((z) => z !== 'UTC')];
}

export function isTimeZone(value: string): boolean {
  if (value.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value.trim() });
    return true;
  } catch {
    return false;
  }
}

export function timeZoneError(value: string): string | undefined {
  if (value.trim() === '') return 'Choose a time zone.';
  return isTimeZone(value) ? undefined : 'Choose a time zone from the list, e.g. Europe/Paris.';
}
