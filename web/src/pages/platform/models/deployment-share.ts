// A model's traffic split as the pages show it: each deployment's share of the weights, in percent.

/** Each deployment's share of the model's traffic in percent (weight / sum of weights), rounded to one decimal. */
export function deploymentShares(weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  return weights.map((w) => Math.round((w / sum) * 1000) / 10);
}

/** "3 (75 %)" */
export function formatShare(share: number): string {
  return `${Number.isInteger(share) ? share : share.toFixed(1)} %`;
}
