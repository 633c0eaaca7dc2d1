// The control-plane call that renews, grows and gives back this boot's budget leases (Mutation.leaseBudgets, with the
// data-plane token). The answer is checked for the fields the lease book reads before anything trusts it.
import { budgetPeriods, type LeaseRequest, type LeaseResponse } from '@gw/schema';
import { type ControlPlaneClient, ControlPlaneError } from '../control-plane-client.ts';

/** Performs one lease call; injected so that tests drive the lease book with a fake control plane. */
export type LeaseFn = (request: LeaseRequest) => Promise<LeaseResponse>;

const mutation = 'mutation ($r: JSON!) { leaseBudgets(request: $r) }';

export function leaseBudgets(client: ControlPlaneClient): LeaseFn {
  return async (request) => {
    const { leaseBudgets: answer } = await client.request<{ leaseBudgets: unknown }>(mutation, { r: request });
    const problem = leaseResponseProblem(answer);
    if (problem) throw new ControlPlaneError(`control plane sent a malformed lease answer: ${problem}`);
    return answer as LeaseResponse;
  };
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isIsoOrNull = (v: unknown) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));

/** What is wrong with a lease answer (null: nothing). */
export function leaseResponseProblem(answer: unknown): string | null {
  if (typeof answer !== 'object' || answer === null) return 'not an object';
  const a = answer as Record<string, unknown>;
  if (!isCount(a.ttlMs) || a.ttlMs === 0) return 'ttlMs';
  if (!isCount(a.dataPlanes)) return 'dataPlanes';
  if (!Array.isArray(a.grants)) return 'grants';
  if (!Array.isArray(a.gone)) return 'gone';
  for (const [i, g] of (a.grants as Record<string, unknown>[]).entries()) {
    if (typeof g !== 'object' || g === null) return `grants[${i}]`;
    if (typeof g.limitId !== 'string') return `grants[${i}].limitId`;
    if (!budgetPeriods.includes(g.period as never)) return `grants[${i}].period`;
    if (typeof g.periodStart !== 'string' || !isIsoOrNull(g.periodStart)) return `grants[${i}].periodStart`;
    if (!isIsoOrNull(g.resetsAt)) return `grants[${i}].resetsAt`;
    for (const field of ['granted', 'limit', 'spent', 'available', 'costFactorPpm'] as const) {
      if (!isCount(g[field])) return `grants[${i}].${field}`;
    }
  }
  for (const [i, g] of (a.gone as Record<string, unknown>[]).entries()) {
    if (typeof g !== 'object' || g === null || typeof g.limitId !== 'string') return `gone[${i}]`;
    if (!budgetPeriods.includes(g.period as never)) return `gone[${i}].period`;
  }
  return null;
}
