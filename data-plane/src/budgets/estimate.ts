// The most a request can cost, held against its budgets before it is forwarded, so that concurrent requests cannot
// overspend. Provider cost in whole nano-dollars; each lease applies its cost factor.
import { costNano, maxBudgetUsd, nanoPerUsd } from '@gw/schema';
import type { PicoPrices } from '../snapshot/store.ts';

/** No budget is larger: a worst case beyond it is refused whatever is left, and the arithmetic stays exact. */
export const maxNano = maxBudgetUsd * nanoPerUsd;

/** Output tokens assumed when a request sets no max_completion_tokens or max_tokens (BUDGET_DEFAULT_MAX_OUTPUT_TOKENS). */
export const defaultMaxOutputTokens = 16_384;

/**
 * Worst case of a chat request: every byte of the body an uncached input token (a BPE token is at least one byte, so
 * this never underestimates text input; image inputs are not bounded by it), and the output cap
 * (max_completion_tokens, else max_tokens, else `defaultOutput`) for each of `n` choices. The body's numbers were
 * checked by the endpoint (positive integers).
 */
export function worstCaseNano(
  bodyBytes: number,
  body: Readonly<Record<string, unknown>>,
  pico: PicoPrices,
  defaultOutput: number,
): number {
  const cap = (body.max_completion_tokens ?? body.max_tokens ?? defaultOutput) as number;
  const n = body.n;
  const output = typeof n === 'number' && n > 1 ? cap * n : cap;
  const worst = costNano(bodyBytes, output, 0, pico);
  return Math.min(worst, maxNano);
}

/**
 * Output tokens a request without an output bound (no max_completion_tokens or max_tokens) must still be able to pay
 * for once its full worst case no longer fits what is left of a budget: it is then admitted holding what is left
 * (at least this floor), so that the last few percent of a budget stay usable; what such a request spends beyond its
 * hold is the overrun the invariant allows for requests max_tokens does not bound (schema/PROTOCOL.md).
 */
export const unboundedFloorOutputTokens = 256;

/** The smallest hold of a request without an output bound (its input bytes and the floor, per choice); 0 when bounded. */
export function unboundedFloorNano(
  bodyBytes: number,
  body: Readonly<Record<string, unknown>>,
  pico: PicoPrices,
): number {
  if ((body.max_completion_tokens ?? body.max_tokens) != null) return 0;
  const n = body.n;
  const output = typeof n === 'number' && n > 1 ? unboundedFloorOutputTokens * n : unboundedFloorOutputTokens;
  return Math.min(costNano(bodyBytes, output, 0, pico), maxNano);
}
