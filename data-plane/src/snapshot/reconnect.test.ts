// Reconnect delays: the first retry at once, quick ones (≤ 1 s) for the first 5 minutes of an outage, then ≤ 10 s.
import { describe, expect, it } from 'vitest';
import { defaultReconnectTimings, reconnectDelay } from './reconnect.ts';

const low = () => 0;
const high = () => 0.999_999;

describe('reconnectDelay', () => {
  it('retries within 100 ms first', () => {
    expect(reconnectDelay(0, 0, defaultReconnectTimings, high)).toBeLessThanOrEqual(100);
    expect(reconnectDelay(0, 0, defaultReconnectTimings, low)).toBe(0);
  });

  it('doubles from 100 ms to at most 1 s while the outage is younger than 5 minutes, with jitter', () => {
    const ceilings = [1, 2, 3, 4, 5, 6, 20].map((a) => reconnectDelay(a, 60_000, defaultReconnectTimings, high));
    expect(ceilings).toEqual([100, 200, 400, 800, 1000, 1000, 1000]);
    // The jitter spreads a fleet over the upper half.
    expect(reconnectDelay(3, 60_000, defaultReconnectTimings, low)).toBe(200);
  });

  it('grows to 10 s only after 5 minutes of outage', () => {
    expect(reconnectDelay(200, 5 * 60_000 - 1, defaultReconnectTimings, high)).toBe(1000);
    expect(reconnectDelay(200, 5 * 60_000, defaultReconnectTimings, high)).toBe(10_000);
    expect(reconnectDelay(200, 5 * 60_000, defaultReconnectTimings, low)).toBe(5000);
  });
});
