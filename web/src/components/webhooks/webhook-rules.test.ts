import { describe, expect, it } from 'vitest';
import { deliveryOutcome, webhookUrlError } from './webhook-rules';

describe('webhookUrlError', () => {
  it.each([
    ['https://hooks.example.com/gateway', undefined],
    ['  http://10.0.0.5:8080/x  ', undefined],
    ['', 'Enter the URL the alerts are posted to.'],
    ['hooks.example.com', 'Enter an absolute URL, e.g. https://hooks.example.com/gateway.'],
    ['ftp://hooks.example.com', 'Use an http or https URL.'],
    ['https://a:b@hooks.example.com', 'Leave credentials out of the URL: requests are signed instead.'],
    ['https://hooks.example.com/#x', 'Leave the #fragment out.'],
    [`https://hooks.example.com/${'a'.repeat(2048)}`, 'At most 2048 characters.'],
  ])('%s', (url, error) => {
    expect(webhookUrlError(url)).toBe(error);
  });
});

describe('deliveryOutcome', () => {
  it.each([
    [{ status: 'PENDING', attempt: 0 } as const, 'Not sent yet'],
    [{ status: 'DELIVERED', attempt: 1, lastStatus: 204 } as const, '1 attempt, last: HTTP 204'],
    [
      { status: 'FAILED', attempt: 6, lastStatus: null, lastError: 'no response within 5000 ms' } as const,
      '6 attempts, last: no response within 5000 ms',
    ],
  ])('%o', (d, text) => {
    expect(deliveryOutcome(d)).toBe(text);
  });
});
