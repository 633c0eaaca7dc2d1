// Key expiry choices offered by the create form, and the timestamp each one means.

export type ExpiryChoice = 'never' | '7d' | '30d' | '90d' | '365d' | 'custom';

export const expiryOptions: { value: ExpiryChoice; label: string }[] = [
  { value: 'never', label: 'Never' },
  { value: '7d', label: 'In 7 days' },
  { value: '30d', label: 'In 30 days' },
  { value: '90d', label: 'In 90 days' },
  { value: '365d', label: 'In 1 year' },
  { value: 'custom', label: 'On a date I choose' },
];

const dayMs = 24 * 60 * 60 * 1000;

/** The ISO timestamp for a choice; `custom` is a `datetime-local` value in the browser's time zone. */
export function expiresAt(choice: ExpiryChoice, custom: string, now = Date.now()): string | undefined {
  switch (choice) {
    case 'never':
      return undefined;
    case 'custom': {
      const date = new Date(custom);
      return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
    }
    default:
      return new Date(now + Number.parseInt(choice, 10) * dayMs).toISOString();
  }
}

/** Validates the custom date: required, and in the future. */
export function customExpiryError(choice: ExpiryChoice, custom: string): string | undefined {
  if (choice !== 'custom') return undefined;
  if (custom === '') return 'Choose the date and time the key stops working.';
  const date = new Date(custom);
  if (Number.isNaN(date.getTime())) return 'Enter a valid date and time.';
  return date.getTime() <= Date.now() ? 'The expiry must be in the future.' : undefined;
}

/** `datetime-local` value for "now" in local time, used as the input's minimum. */
export function localNow(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
