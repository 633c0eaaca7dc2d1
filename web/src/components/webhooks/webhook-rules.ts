// What the webhook forms check before asking the API (which checks again, including internal addresses): an absolute
// http(s) URL without credentials or fragment, of bounded length; and how a delivery's state reads.
export const maxUrlLength = 2048;

export function webhookUrlError(value: string): string | undefined {
  const v = value.trim();
  if (!v) return 'Enter the URL the alerts are posted to.';
  if (v.length > maxUrlLength) return `At most ${maxUrlLength} characters.`;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return 'Enter an absolute URL, e.g. https://hooks.example.com/gateway.';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Use an http or https URL.';
  if (url.username || url.password) return 'Leave credentials out of the URL: requests are signed instead.';
  if (url.hash) return 'Leave the #fragment out.';
  return undefined;
}

export interface DeliveryState {
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempt: number;
  lastStatus?: number | null;
  lastError?: string | null;
}

/** One line about a delivery's last attempt, e.g. "3 attempts, last: HTTP 500". */
export function deliveryOutcome(d: DeliveryState): string {
  const attempts = d.attempt === 0 ? 'Not sent yet' : `${d.attempt} attempt${d.attempt === 1 ? '' : 's'}`;
  if (d.attempt === 0) return attempts;
  const last = d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : null);
  return last ? `${attempts}, last: ${last}` : attempts;
}
