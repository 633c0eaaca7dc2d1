// Display formatting for dates, names and prices, in the browser's locale.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateTime.format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : dateOnly.format(date);
}

/** "Ada Lovelace (ada@example.com)" when the user has a name, else the email alone. */
export function userLabel(user: { email: string; name: string | null }): string {
  return user.name ? `${user.name} (${user.email})` : user.email;
}

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 6,
});

/** "$0.15" for a price per million tokens: at least cents, up to 6 decimals so small prices stay exact. */
export function formatUsdPrice(value: number): string {
  return usd.format(value);
}
