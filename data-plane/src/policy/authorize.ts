// May this key act now, and may it use this model: expiry, org/team/user status, model existence, the org's
// model availability and the key's allow-list.
import type { KeyEntry, ModelEntry, SnapshotStore } from '../snapshot/store.ts';
import { type Decision, deny } from './decision.ts';

/** The checks that do not depend on a model (also used by GET /v1/models). */
export function authorizeKey(entry: KeyEntry, nowMs: number): Decision<object> {
  if (entry.expiresAtMs !== null && entry.expiresAtMs <= nowMs) {
    return deny('caller_key_expired', 'This API key has expired.');
  }
  // The contract has one "suspended" code; the message says which level is suspended.
  if (entry.org.status !== 'active')
    return deny('policy_org_suspended', 'The organization of this API key is suspended.');
  if (entry.team && entry.team.status !== 'active') {
    return deny('policy_org_suspended', 'The team of this API key is suspended.');
  }
  if (entry.user && entry.user.status !== 'active') {
    return deny('policy_org_suspended', 'The user of this API key is suspended.');
  }
  return { ok: true };
}

export function keyMayUseModel(entry: KeyEntry, modelName: string): boolean {
  return entry.allowedModels === null || entry.allowedModels.has(modelName);
}

/** Per-org model availability, chosen by platform admins. */
export function orgMayUseModel(entry: KeyEntry, modelName: string): boolean {
  return entry.orgAllowedModels === null || entry.orgAllowedModels.has(modelName);
}

export function authorize(
  store: SnapshotStore,
  entry: KeyEntry,
  modelName: string,
  nowMs: number,
): Decision<{ model: ModelEntry }> {
  const keyDecision = authorizeKey(entry, nowMs);
  if (!keyDecision.ok) return keyDecision;
  const model = store.modelsByName.get(modelName);
  if (!model) return deny('caller_model_not_found', `The model "${modelName}" does not exist.`, 'model');
  if (!orgMayUseModel(entry, modelName)) {
    return deny('policy_model_not_allowed', `Your organization may not use the model "${modelName}".`, 'model');
  }
  if (!keyMayUseModel(entry, modelName)) {
    return deny('policy_model_not_allowed', `This API key may not use the model "${modelName}".`, 'model');
  }
  return { ok: true, model };
}
