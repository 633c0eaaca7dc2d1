// Pure mapping from database rows to the contract Snapshot the data planes enforce.
import type { ProviderKind, Snapshot } from '@gw/schema';
import { emptySnapshot } from '@gw/schema';
import type { SealedSecret } from '../crypto/secret-box.ts';
import type { SnapshotRows } from './snapshot-rows.ts';

/** Decrypts a credential's API key; injected so this module stays pure and testable without a master key. */
export type OpenSecret = (sealed: SealedSecret) => string;

/**
 * Rules (PROTOCOL.md, "Deleted and suspended resources"):
 * - deleted orgs/teams/users/modules are left out, and so is everything that hangs off them (a user key whose
 *   attribution team is gone, or no longer the user's, keeps working without it);
 * - revoked keys are left out; expired keys stay (the data plane checks expiresAt);
 * - suspended orgs/teams/users stay with their status, so the data plane can refuse their keys precisely.
 * The output does not depend on row order: snapshots are maps keyed by id and lists are sorted.
 */
export function buildSnapshot(rows: Omit<SnapshotRows, 'version'>, openSecret: OpenSecret): Snapshot {
  const s = emptySnapshot();
  for (const o of rows.orgs) {
    if (o.deleted_at) continue;
    s.orgs[o.id] = { id: o.id, name: o.name, status: o.status };
  }
  for (const t of rows.teams) {
    if (t.deleted_at || !s.orgs[t.org_id]) continue;
    s.teams[t.id] = { id: t.id, orgId: t.org_id, name: t.name, status: t.status };
  }
  for (const u of rows.users) {
    if (u.deleted_at || !s.orgs[u.org_id]) continue;
    const teamIds = u.team_ids.filter((id) => s.teams[id]?.orgId === u.org_id).sort();
    s.users[u.id] = { id: u.id, orgId: u.org_id, teamIds, email: u.email, status: u.status };
  }
  const modules: NonNullable<Snapshot['modules']> = {};
  for (const m of rows.modules) {
    if (m.deleted_at) continue;
    modules[m.id] = { id: m.id, key: m.key, status: m.status };
  }
  const orgModules: NonNullable<Snapshot['orgModules']> = {};
  for (const e of rows.orgModules) {
    if (!s.orgs[e.org_id] || !modules[e.module_id]) continue;
    orgModules[e.id] = {
      id: e.id,
      orgId: e.org_id,
      moduleId: e.module_id,
      allowedModels: e.allowed_models ? [...e.allowed_models] : null,
    };
  }
  for (const k of rows.keys) {
    if (k.revoked || !s.orgs[k.org_id]) continue;
    // Owner: a user (the team is then only attribution, kept while the user is in it) or a team.
    const user = k.user_id ? s.users[k.user_id] : undefined;
    if (k.user_id ? !user : !(k.team_id && s.teams[k.team_id])) continue;
    const teamId = user && !(k.team_id && user.teamIds.includes(k.team_id)) ? null : k.team_id;
    if (k.module_id && !modules[k.module_id]) continue;
    s.keys[k.id] = {
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
  // Optional kinds are present only when not empty (see optionalKinds in the contract).
  if (Object.keys(modules).length) s.modules = modules;
  if (Object.keys(orgModules).length) s.orgModules = orgModules;
  for (const c of rows.credentials) {
    s.credentials[c.id] = {
      id: c.id,
      provider: c.provider as ProviderKind,
      baseUrl: c.base_url,
      apiKey: openSecret({ ciphertext: c.secret_ciphertext, iv: c.secret_iv, tag: c.secret_tag }),
    };
  }
  // Deployments in id order, so the snapshot (and its hash) does not depend on row order.
  const deployments = new Map<string, SnapshotRows['deployments']>();
  for (const d of [...rows.deployments].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (!s.credentials[d.credential_id]) continue;
    const list = deployments.get(d.model_id) ?? [];
    list.push(d);
    deployments.set(d.model_id, list);
  }
  for (const m of rows.models) {
    const routes = deployments.get(m.id);
    // A model with nowhere to route is left out (callers get caller_model_not_found); the API never leaves one.
    if (!routes?.length) continue;
    s.models[m.id] = {
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
  // Per-org model availability, by name (what keys and requests use); absent = every model.
  for (const a of rows.orgModelAccess) {
    const org = s.orgs[a.org_id];
    if (!org) continue;
    const names = a.model_ids.flatMap((id) => (s.models[id] ? [s.models[id].name] : [])).sort();
    s.orgs[a.org_id] = { ...org, allowedModels: names };
  }
  return s;
}
