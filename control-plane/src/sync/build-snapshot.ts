// Pure mapping from database rows to the contract Snapshot the data planes enforce.
import type { ProviderKind, Snapshot } from '@gw/schema';
import { emptySnapshot } from '@gw/schema';
import type { SealedSecret } from '../crypto/secret-box.ts';
import type { SnapshotRows } from './snapshot-rows.ts';

/** Decrypts a credential's API key; injected so this module stays pure and testable without a master key. */
export type OpenSecret = (sealed: SealedSecret) => string;

/**
 * Rules (PROTOCOL.md, "Deleted and suspended resources"):
 * - deleted orgs/teams/users are left out, and so is everything that hangs off them;
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
  for (const k of rows.keys) {
    if (k.revoked || !s.orgs[k.org_id]) continue;
    if ((k.team_id && !s.teams[k.team_id]) || (k.user_id && !s.users[k.user_id])) continue;
    s.keys[k.id] = {
      id: k.id,
      hash: k.key_hash,
      prefix: k.prefix,
      orgId: k.org_id,
      teamId: k.team_id,
      userId: k.user_id,
      allowedModels: k.allowed_models ? [...k.allowed_models] : null,
      expiresAt: k.expires_at ? new Date(k.expires_at).toISOString() : null,
    };
  }
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
