// Which deployment serves this request: weighted random choice among the model's deployments.
import type { DeploymentEntry, ModelEntry } from '../snapshot/store.ts';

/** `random` is injected (a number in [0, 1)) so the choice is testable and the function stays pure. */
export function route(model: ModelEntry, random: number): DeploymentEntry {
  const { deployments } = model;
  if (deployments.length === 1) return deployments[0];
  let target = random * model.totalWeight;
  for (const d of deployments) {
    target -= d.deployment.weight;
    if (target < 0) return d;
  }
  // Floating-point rounding can leave target at ~0 after the last deployment.
  return deployments[deployments.length - 1];
}
