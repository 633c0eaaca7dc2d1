// When the sync client tries again: at once after a drop, quickly while an outage is young, slowly after that.

export interface ReconnectTimings {
  /** The first retry after a drop comes within this (a random point in 0..firstMs). */
  firstMs: number;
  /** Later retries start here and double... */
  minMs: number;
  /** ...up to this while the outage is younger than fastWindowMs... */
  fastMaxMs: number;
  fastWindowMs: number;
  /** ...and up to this after that. */
  slowMaxMs: number;
  /** After a protocol refusal, or a control plane that does not speak our protocol. */
  refusedMs: number;
  /** The client pings every keepAliveMs and drops the socket when no pong came back within pongTimeoutMs. */
  keepAliveMs: number;
  pongTimeoutMs: number;
}

export const defaultReconnectTimings: ReconnectTimings = {
  firstMs: 100,
  minMs: 100,
  fastMaxMs: 1000,
  fastWindowMs: 5 * 60_000,
  slowMaxMs: 10_000,
  refusedMs: 60_000,
  keepAliveMs: 10_000,
  pongTimeoutMs: 5_000,
};

/**
 * Delay before retry number `attempt` (0-based) of an outage that began `outageMs` ago. Past the first, a random
 * point in the upper half of the ceiling, so that a fleet of data planes does not reconnect in lockstep.
 */
export function reconnectDelay(
  attempt: number,
  outageMs: number,
  t: ReconnectTimings = defaultReconnectTimings,
  random: () => number = Math.random,
): number {
  if (attempt === 0) return Math.round(random() * t.firstMs);
  const max = outageMs < t.fastWindowMs ? t.fastMaxMs : t.slowMaxMs;
  const ceiling = Math.min(max, t.minMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
