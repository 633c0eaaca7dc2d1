// Consistency rules beyond shape, written per resource so that a data plane can check a delta in O(change):
// the upserted resources' own rules (`resourceProblems`), and no remaining resource referencing a removed one
// (`references`, kept as reverse counts). `snapshotProblems` runs the same rules over a whole snapshot.
import { limitScopeKey } from './limits.ts';
import type { AnyResource, ResourceKind, ResourceTypes, Snapshot } from './snapshot.ts';
import { resourceKinds } from './snapshot.ts';

/** What a rule may look at: the snapshot the resource is part of (after the change, for a delta). */
export interface SnapshotLookup {
  get<K extends ResourceKind>(kind: K, id: string): ResourceTypes[K] | undefined;
  /** The id of the resource of `kind` that holds the unique `claim` (see uniqueClaims); undefined = none. */
  claimOwner(kind: ResourceKind, claim: string): string | undefined;
}

export type Reference = readonly [ResourceKind, string];

/** The resources this one must find in the same snapshot (may repeat one; rules count each occurrence). */
export function references<K extends ResourceKind>(kind: K, resource: ResourceTypes[K]): Reference[] {
  switch (kind) {
    case 'teams':
    case 'users':
      return [['orgs', (resource as ResourceTypes['teams']).orgId]];
    case 'keys': {
      const k = resource as ResourceTypes['keys'];
      const refs: Reference[] = [['orgs', k.orgId]];
      if (k.teamId) refs.push(['teams', k.teamId]);
      if (k.userId) refs.push(['users', k.userId]);
      if (k.moduleId) refs.push(['modules', k.moduleId]);
      return refs;
    }
    case 'models':
      return (resource as ResourceTypes['models']).deployments.map((d) => ['credentials', d.credentialId] as const);
    case 'orgModules': {
      const e = resource as ResourceTypes['orgModules'];
      return [
        ['orgs', e.orgId],
        ['modules', e.moduleId],
      ];
    }
    case 'limits':
      return [['orgs', (resource as ResourceTypes['limits']).orgId]];
    default:
      return [];
  }
}

/** Values no two resources of the kind may share: a key's secret hashes, a model's name, a module's key, ... */
export function uniqueClaims<K extends ResourceKind>(kind: K, resource: ResourceTypes[K]): string[] {
  switch (kind) {
    case 'keys': {
      const k = resource as ResourceTypes['keys'];
      return k.previous ? [k.hash, k.previous.hash] : [k.hash];
    }
    case 'models':
      return [(resource as ResourceTypes['models']).name];
    case 'modules':
      return [(resource as ResourceTypes['modules']).key];
    case 'orgModules': {
      const e = resource as ResourceTypes['orgModules'];
      return [`${e.orgId} ${e.moduleId}`];
    }
    case 'limits': {
      const e = resource as ResourceTypes['limits'];
      return [limitScopeKey(e.scope, e.scopeId, e.orgId)];
    }
    default:
      return [];
  }
}

/**
 * Kinds whose rules read more than the existence of a referenced resource of `kind`: when such a resource
 * changes, the resources of these kinds that reference it must be checked again.
 */
export const dependentKinds: Partial<Record<ResourceKind, readonly ResourceKind[]>> = {
  teams: ['keys'],
  users: ['keys'],
};

/** The problems of one resource within the snapshot `lookup` describes (empty = consistent). */
export function resourceProblems<K extends ResourceKind>(
  kind: K,
  id: string,
  resource: ResourceTypes[K],
  lookup: SnapshotLookup,
): string[] {
  const at = `${kind}.${id}`;
  const problems: string[] = [];
  if (resource.id !== id) problems.push(`${at}: id field is ${resource.id}`);
  const missing = (k: ResourceKind, rid: string, what: string) => {
    if (!lookup.get(k, rid)) problems.push(`${at}: unknown ${what} ${rid}`);
  };
  switch (kind) {
    case 'teams':
    case 'users':
      missing('orgs', (resource as ResourceTypes['teams']).orgId, 'org');
      break;
    case 'keys':
      problems.push(...keyProblems(at, resource as ResourceTypes['keys'], lookup));
      break;
    case 'models': {
      const m = resource as ResourceTypes['models'];
      if (lookup.claimOwner('models', m.name) !== id) problems.push(`${at}: duplicate name ${m.name}`);
      for (const d of m.deployments) missing('credentials', d.credentialId, 'credential');
      break;
    }
    case 'modules': {
      const m = resource as ResourceTypes['modules'];
      if (lookup.claimOwner('modules', m.key) !== id) problems.push(`${at}: duplicate key ${m.key}`);
      break;
    }
    case 'orgModules': {
      const e = resource as ResourceTypes['orgModules'];
      missing('orgs', e.orgId, 'org');
      missing('modules', e.moduleId, 'module');
      if (lookup.claimOwner('orgModules', `${e.orgId} ${e.moduleId}`) !== id) {
        problems.push(`${at}: module ${e.moduleId} enabled twice for ${e.orgId}`);
      }
      break;
    }
    case 'limits': {
      const e = resource as ResourceTypes['limits'];
      missing('orgs', e.orgId, 'org');
      if (e.scope === 'org' && e.scopeId !== e.orgId) problems.push(`${at}: org scope ${e.scopeId} is not its org`);
      if (lookup.claimOwner('limits', limitScopeKey(e.scope, e.scopeId, e.orgId)) !== id) {
        problems.push(`${at}: a second entry for ${e.scope} ${e.scopeId}`);
      }
      break;
    }
  }
  return problems;
}

/** Keys: their org, owner and module exist and agree; no secret hash (current or previous) names two keys. */
function keyProblems(at: string, key: ResourceTypes['keys'], lookup: SnapshotLookup): string[] {
  const problems: string[] = [];
  if (!lookup.get('orgs', key.orgId)) problems.push(`${at}: unknown org ${key.orgId}`);
  if (!key.userId && !key.teamId) problems.push(`${at}: no owner (userId or teamId)`);
  const team = key.teamId ? lookup.get('teams', key.teamId) : undefined;
  const user = key.userId ? lookup.get('users', key.userId) : undefined;
  if (key.teamId && !team) problems.push(`${at}: unknown team ${key.teamId}`);
  if (key.userId && !user) problems.push(`${at}: unknown user ${key.userId}`);
  if (team && team.orgId !== key.orgId) problems.push(`${at}: team ${team.id} is in another org`);
  if (user && user.orgId !== key.orgId) problems.push(`${at}: user ${user.id} is in another org`);
  if (user && key.teamId && !user.teamIds.includes(key.teamId)) {
    problems.push(`${at}: team ${key.teamId} is not a team of user ${user.id}`);
  }
  if (key.moduleId && !lookup.get('modules', key.moduleId)) problems.push(`${at}: unknown module ${key.moduleId}`);
  const claims = key.previous ? [key.hash, key.previous.hash] : [key.hash];
  for (const [i, claim] of claims.entries()) {
    const owner = lookup.claimOwner('keys', claim);
    if (owner !== key.id || (i === 1 && claim === key.hash)) {
      problems.push(`${at}: secret hash also used by keys.${owner}`);
    }
  }
  return problems;
}

/**
 * Consistency checks beyond shape, run by the control plane before publishing and by the data plane on a full
 * snapshot. Returns the list of problems (empty = consistent). A unique claim belongs to the first resource
 * (in record order) that makes it; the later ones are reported.
 */
export function snapshotProblems(s: Partial<Snapshot>): string[] {
  const owners = new Map<string, string>();
  for (const kind of resourceKinds) {
    for (const [rid, r] of Object.entries(s[kind] ?? {}) as [string, AnyResource][]) {
      for (const claim of uniqueClaims(kind, r)) {
        const c = `${kind} ${claim}`;
        if (!owners.has(c)) owners.set(c, rid);
      }
    }
  }
  const lookup: SnapshotLookup = {
    get: (kind, id) => {
      const record = s[kind] as Record<string, never> | undefined;
      return record && Object.hasOwn(record, id) ? record[id] : undefined;
    },
    claimOwner: (kind, claim) => owners.get(`${kind} ${claim}`),
  };
  const problems: string[] = [];
  for (const kind of resourceKinds) {
    for (const [rid, r] of Object.entries(s[kind] ?? {}) as [string, AnyResource][]) {
      problems.push(...resourceProblems(kind, rid, r, lookup));
    }
  }
  return problems;
}
