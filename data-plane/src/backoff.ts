// Exponential backoff with jitter, shared by the sync client and the usage batcher.

export interface BackoffOptions {
  minMs: number;
  maxMs: number;
}

/**
 * Delay before retry number `attempt` (0-based): doubles from minMs up to maxMs, then a random
 * point in the upper half so that a fleet of data planes does not reconnect in lockstep.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.minMs * 2 ** Math.min(attempt, 30));
  return Math.max(options.minMs, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}
