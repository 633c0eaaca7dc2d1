// Pure mapping of one row to one snapshot resource, given the snapshot it joins (the rules of build-snapshot.ts).
import type {
  ProviderKind,
  SnapshotCredential,
  SnapshotKey,
  SnapshotLimit,
  SnapshotModel,
  SnapshotModule,
  SnapshotOrg,
  SnapshotOrgModule,
  SnapshotTeam,
  SnapshotUser,
} from '@gw/schema';
import type { SealedSecret } from '../crypto/secret-box.ts';
import type {
  CredentialRow,
  DeploymentRow,
  KeyRow,
  LimitRow,
  ModelRow,
  ModuleRow,
  OrgModelAccessRow,
  OrgModuleRow,
  OrgRow,
  TeamRow,
  UserRow,
} from './snapshot-rows.ts';

/** Decrypts a credential's API key; injected so this module stays pure and testable without a master key. */
export type OpenSecret = (sealed: SealedSecret) => string;

/** The resources a row may refer to, as they are after the change being built. */
export interface Joined {
  org(id: string): SnapshotOrg | undefined;
  team(id: string): SnapshotTeam | undefined;
  user(id: string): SnapshotUser | undefined;
  module(id: string): SnapshotModule | undefined;
  credential(id: string): SnapshotCredential | undefined;
  model(id: string): SnapshotModel | undefined;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** An org without its allowedModels (they depend on the models, built later). */
export function orgOf(o: OrgRow): SnapshotOrg | undefined {
  if (o.deleted_at) return undefined;
  // budgetFailOpen is left out unless set, so that orgs look as they did before budgets.
  return { id: o.id, name: o.name, status: o.status, ...(o.budget_fail_open ? { budgetFailOpen: true as const } : {}) };
}

/** Per-org model availability, by name (what keys and requests use); no access row = every model. */
export function withAccess(org: SnapshotOrg, access: OrgModelAccessRow | undefined, j: Joined): SnapshotOrg {
  const { allowedModels: _, ...base } = org;
  if (!access) return base;
  const names = access.model_ids.flatMap((id) => {
    const m = j.model(id);
    return m ? [m.name] : [];
  });
  return { ...base, allowedModels: names.sort() };
}

export function teamOf(t: TeamRow, j: Joined): SnapshotTeam | undefined {
  if (t.deleted_at || !j.org(t.org_id)) return undefined;
  return { id: t.id, orgId: t.org_id, name: t.name, status: t.status };
}

export function userOf(u: UserRow, j: Joined): SnapshotUser | undefined {
  if (u.deleted_at || !j.org(u.org_id)) return undefined;
  const teamIds = u.team_ids.filter((id) => j.team(id)?.orgId === u.org_id).sort();
  return { id: u.id, orgId: u.org_id, teamIds, email: u.email, status: u.status };
}

export function moduleOf(m: ModuleRow): SnapshotModule | undefined {
  return m.deleted_at ? undefined : { id: m.id, key: m.key, status: m.status };
}

export function orgModuleOf(e: OrgModuleRow, j: Joined): SnapshotOrgModule | undefined {
  if (!j.org(e.org_id) || !j.module(e.module_id)) return undefined;
  return {
    id: e.id,
    orgId: e.org_id,
    moduleId: e.module_id,
    allowedModels: e.allowed_models ? [...e.allowed_models] : null,
  };
}

export function keyOf(k: KeyRow, j: Joined): SnapshotKey | undefined {
  if (k.revoked || !j.org(k.org_id)) return undefined;
  // Owner: a user (the team is then only attribution, kept while the user is in it) or a team.
  const user = k.user_id ? j.user(k.user_id) : undefined;
  if (k.user_id ? !user : !(k.team_id && j.team(k.team_id))) return undefined;
  const teamId = user && !(k.team_id && user.teamIds.includes(k.team_id)) ? null : k.team_id;
  if (k.module_id && !j.module(k.module_id)) return undefined;
  return {
    id: k.id,
    hash: k.key_hash,
    prefix: k.prefix,
    orgId: k.org_id,
    teamId,
    userId: k.user_id,
    allowedModels: k.allowed_models ? [...k.allowed_models] : null,
    expiresAt: k.expires_at ? new Date(k.expires_at).toISOString() : null,
    // Left out when unset, so that keys without them look as they did before (older data planes accept them).
    ...(k.module_id ? { moduleId: k.module_id } : {}),
    ...(k.previous_key_hash && k.previous_expires_at
      ? { previous: { hash: k.previous_key_hash, expiresAt: new Date(k.previous_expires_at).toISOString() } }
      : {}),
  };
}

/** A scope's budgets (nano-dollars) and rates; only periods with a budget, rpm and tpm only when set. */
export function limitOf(l: LimitRow, j: Joined): SnapshotLimit | undefined {
  if (!j.org(l.org_id)) return undefined;
  const budgets: SnapshotLimit['budgets'] = {};
  for (const period of ['daily', 'weekly', 'monthly', 'total'] as const) {
    const v = l[period];
    if (v !== null) budgets[period] = Number(v);
  }
  return {
    id: l.id,
    orgId: l.org_id,
    scope: l.scope_kind,
    scopeId: l.scope_id,
    budgets,
    ...(l.rpm !== null ? { rpm: l.rpm } : {}),
    ...(l.tpm !== null ? { tpm: l.tpm } : {}),
  };
}

export function credentialOf(c: CredentialRow, open: OpenSecret): SnapshotCredential {
  return {
    id: c.id,
    provider: c.provider as ProviderKind,
    baseUrl: c.base_url,
    apiKey: open({ ciphertext: c.secret_ciphertext, iv: c.secret_iv, tag: c.secret_tag }),
  };
}

/** Deployments in id order, so the model does not depend on row order; none left = no model. */
export function modelOf(m: ModelRow, deployments: DeploymentRow[], j: Joined): SnapshotModel | undefined {
  const routes = deployments.filter((d) => j.credential(d.credential_id)).sort(byId);
  // A model with nowhere to route is left out (callers get caller_model_not_found); the API never leaves one.
  if (!routes.length) return undefined;
  return {
    id: m.id,
    name: m.name,
    deployments: routes.map((d) => ({
      credentialId: d.credential_id,
      upstreamModel: d.upstream_model,
      weight: Number(d.weight),
    })),
    prices: {
      inputPerMTok: Number(m.input_price_per_mtok),
      outputPerMTok: Number(m.output_price_per_mtok),
      cachedInputPerMTok: Number(m.cached_input_price_per_mtok),
    },
  };
}
