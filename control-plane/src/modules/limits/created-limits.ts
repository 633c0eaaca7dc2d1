// The `limits` a create mutation (organization, team, user, virtual key) may carry: checked before its transaction,
// written inside it once the new thing exists, so the two commit or fail together.
import type { LimitScope } from '@gw/schema';
import type { AdminCaller } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';
import { type LimitValues, parseLimits, valuesView } from './limit-values.ts';
import type { LimitsInput } from './limits.input.ts';
import { writeCreatedLimits } from './limits-write.ts';

export interface CreatedLimits {
  values: LimitValues;
  /** An org admin's budgets may not exceed the org's own; a platform admin's may. */
  capped: boolean;
}

const field = 'input.limits';

/** null when the input carries no limits. */
export function createdLimits(input: LimitsInput | null | undefined, caller: AdminCaller): CreatedLimits | null {
  if (!input) return null;
  return { values: parseLimits(field, input), capped: caller.role !== 'platform_admin' };
}

/** Writes them for the thing just created (flushed first: its id is assigned, and its row exists). */
export async function writeCreated(
  em: Em,
  created: CreatedLimits | null,
  ref: () => { orgId: string; scope: LimitScope; scopeId: string },
): Promise<void> {
  if (!created) return;
  await em.flush();
  await writeCreatedLimits(em, ref(), created.values, { capped: created.capped, field });
}

/** The audited view, under `limits` (nothing when none were given). */
export const createdView = (created: CreatedLimits | null) => (created ? { limits: valuesView(created.values) } : {});
