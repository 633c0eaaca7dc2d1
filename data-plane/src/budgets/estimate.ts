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
