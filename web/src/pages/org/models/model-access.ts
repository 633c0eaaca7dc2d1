// How the org's model availability reads (organization.modelAccess): every model of the catalogue, including ones
// added later, or only a list chosen by platform admins (possibly empty: no model at all).

export interface ModelAccess {
  allModels: boolean;
  models: { name: string }[];
}

/** One sentence for the top of the models page. */
export function accessSummary(access: ModelAccess): string {
  if (access.allModels) return 'This organization may use every model of the catalogue, including models added later.';
  const n = access.models.length;
  if (n === 0)
    return 'This organization may use no model: every request is refused until a platform admin allows some.';
  return `This organization may use only ${n === 1 ? 'this model' : `these ${n} models`}; requests for any other model are refused.`;
}

/** The form of the platform admins' dialog, as the setOrgModelAccess input (modelNames only when restricted). */
export function accessInput(orgId: string, scope: 'all' | 'some', names: string[]) {
  return scope === 'all' ? { orgId, allModels: true } : { orgId, allModels: false, modelNames: [...new Set(names)] };
}
