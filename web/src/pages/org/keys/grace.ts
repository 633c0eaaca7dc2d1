// How long the replaced secret keeps working after a rotation: the choices the rotate dialog offers and the
// `previousSecretValidUntil` each one means (the API accepts at most 30 days ahead).

export type GraceChoice = 'none' | '1h' | '1d' | '7d' | 'custom';

const hourMs = 60 * 60 * 1000;
const dayMs = 24 * hourMs;

/** The control plane's limit: a replaced secret works at most 30 days after the rotation. */
export const maxGraceMs = 30 * dayMs;

export const graceOptions: { value: GraceChoice; label: string }[] = [
  { value: 'none', label: 'No grace: the old secret stops now' },
  { value: '1h', label: '1 hour' },
  { value: '1d', label: '1 day' },
  { value: '7d', label: '7 days' },
  { value: 'custom', label: 'Until a time I choose (at most 30 days)' },
];

const presetMs: Record<Exclude<GraceChoice, 'none' | 'custom'>, number> = {
  '1h': hourMs,
  '1d': dayMs,
  '7d': 7 * dayMs,
};

/** Validates the custom end (a timestamp in ms): required, in the future, at most 30 days ahead. */
export function graceError(choice: GraceChoice, custom: number | null, now = Date.now()): string | undefined {
  if (choice !== 'custom') return undefined;
  if (custom === null || Number.isNaN(custom)) return 'Choose until when the old secret keeps working.';
  if (custom <= now) return 'The end of the grace period must be in the future.';
  if (custom > now + maxGraceMs) return 'The grace period can last at most 30 days.';
  return undefined;
}

/** The `previousSecretValidUntil` argument for a choice: null ends the old secret at once. */
export function graceUntil(choice: GraceChoice, custom: number | null, now = Date.now()): string | null {
  if (choice === 'none') return null;
  if (choice === 'custom') {
    if (graceError(choice, custom, now)) throw new Error('invalid custom grace period');
    return new Date(custom as number).toISOString();
  }
  return new Date(now + presetMs[choice]).toISOString();
}

/** Lets the date picker grey out days that cannot hold a valid end (before today, after the 30-day limit). */
export function graceDateDisabled(ts: number, now = Date.now()): boolean {
  const startOfToday = new Date(now);
  startOfToday.setHours(0, 0, 0, 0);
  return ts < startOfToday.getTime() || ts > now + maxGraceMs;
}
