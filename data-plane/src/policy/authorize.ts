// May this key act now, and may it use this model: a rotated-out secret's grace, expiry, org/team/user status,
// model existence, the org's model availability, the key's allow-list and its module's restriction.
import type { KeyEntry, ModelEntry, OrgModuleEntry, SnapshotStore } from '../snapshot/store.ts';
import { allow, type Decision, deny } from './decision.ts';
import { moduleMayUseModel } from './module.ts';

/** The checks that do not depend on a model (also used by GET /v1/models). */
export function authorizeKey(entry: KeyEntry, nowMs: number): Decision {
  if (entry.graceEndsAtMs !== null && entry.graceEndsAtMs <= nowMs) {
    return deny('caller_key_revoked', 'This API key was replaced by a newer one and its grace period has ended.');
  }
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
  return allow;
}

export function keyMayUseModel(entry: KeyEntry, modelName: string): boolean {
  return entry.allowedModels === null || entry.allowedModels.has(modelName);
}

/** Per-org model availability, chosen by platform admins. */
export function orgMayUseModel(entry: KeyEntry, modelName: string): boolean {
  return entry.orgAllowedModels === null || entry.orgAllowedModels.has(modelName);
}

/** May a key that may act (see authorizeKey) use this model, under its org's, its own and its module's lists. */
export function authorizeModel(
  store: SnapshotStore,
  entry: KeyEntry,
  modelName: string,
  /** The module the request is attributed to (see attributeModule); null = none. */
  attribution: OrgModuleEntry | null,
): Decision<{ model: ModelEntry }> {
  const model = store.modelsByName.get(modelName);
  if (!model) return deny('caller_model_not_found', `The model "${modelName}" does not exist.`, 'model');
  if (!orgMayUseModel(entry, modelName)) {
    return deny('policy_model_not_allowed', `Your organization may not use the model "${modelName}".`, 'model');
  }
  if (!keyMayUseModel(entry, modelName)) {
    return deny('policy_model_not_allowed', `This API key may not use the model "${modelName}".`, 'model');
  }
  if (!moduleMayUseModel(attribution, modelName)) {
    return deny(
      'policy_model_not_allowed',
      `The module "${attribution?.module.key}" may not use the model "${modelName}" in this organization.`,
      'model',
    );
  }
  return { ok: true, model };
}

/** Whether GET /v1/models lists this model: the same three lists as authorizeModel. */
export function mayListModel(entry: KeyEntry, attribution: OrgModuleEntry | null, modelName: string): boolean {
  return (
    orgMayUseModel(entry, modelName) && keyMayUseModel(entry, modelName) && moduleMayUseModel(attribution, modelName)
  );
}

/** Both checks at once: the key at `nowMs`, then the model. */
export function authorize(
  store: SnapshotStore,
  entry: KeyEntry,
  modelName: string,
  nowMs: number,
  /** The module the request is attributed to (see attributeModule); null = none. */
  attribution: OrgModuleEntry | null = null,
): Decision<{ model: ModelEntry }> {
  const keyDecision = authorizeKey(entry, nowMs);
  if (!keyDecision.ok) return keyDecision;
  return authorizeModel(store, entry, modelName, attribution);
}
