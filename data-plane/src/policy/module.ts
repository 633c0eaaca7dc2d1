// Which product module a request is attributed to: the key's binding, or the x-gateway-module header, which must
// name a module enabled (and active) for the key's org, and may only repeat a bound key's module.
import type { KeyEntry, OrgModuleEntry, SnapshotStore } from '../snapshot/store.ts';
import { type Decision, deny } from './decision.ts';

export const moduleHeader = 'x-gateway-module';

/** Module keys are slugs; anything else is never echoed back in a message. */
const echoable = /^[a-z0-9][a-z0-9-]{0,62}$/;

function named(value: string): string {
  return echoable.test(value) ? `"${value}"` : 'named in x-gateway-module';
}

/** null = the request is attributed to no module. */
export function attributeModule(
  store: SnapshotStore,
  entry: KeyEntry,
  header: string | null,
): Decision<{ attribution: OrgModuleEntry | null }> {
  const requested = header?.trim() || null;
  const bound = entry.module;
  let chosen = bound;
  if (requested !== null) {
    const m = store.modulesByKey.get(requested);
    if (bound && m?.id !== bound.id) {
      return deny(
        'policy_module_mismatch',
        `This API key is bound to the module "${bound.key}"; the module ${named(requested)} cannot be used with it.`,
        moduleHeader,
      );
    }
    chosen = m ?? null;
    if (!chosen) {
      return deny(
        'policy_module_not_enabled',
        `The module ${named(requested)} is not enabled for this organization.`,
        moduleHeader,
      );
    }
  }
  if (!chosen) return { ok: true, attribution: null };
  // Unknown and not enabled read the same: another org's modules never show through.
  const enablement = store.orgModules.get(entry.org.id)?.get(chosen.id);
  if (!enablement) {
    return deny(
      'policy_module_not_enabled',
      `The module "${chosen.key}" is not enabled for this organization.`,
      requested === null ? null : moduleHeader,
    );
  }
  if (enablement.module.status !== 'active') {
    return deny(
      'policy_module_suspended',
      `The module "${chosen.key}" is suspended.`,
      requested === null ? null : moduleHeader,
    );
  }
  return { ok: true, attribution: enablement };
}

/** A module's model restriction in the key's org (null attribution or restriction = no limit). */
export function moduleMayUseModel(attribution: OrgModuleEntry | null, modelName: string): boolean {
  return attribution?.allowedModels == null || attribution.allowedModels.has(modelName);
}
