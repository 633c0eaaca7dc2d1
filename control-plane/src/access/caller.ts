// Who is calling, from the bearer token: the data plane, the static ADMIN_TOKEN, a login session or an API token
// (which acts within the current standing of the admin holding it).
import { timingSafeEqual } from 'node:crypto';
import type { Deps } from '../context.ts';
import { sha256Hex } from '../crypto/tokens.ts';
import type { Em } from '../db/orm.ts';
import { lesserRole, type Role } from './roles.ts';

/** The person or integration behind an admin caller, as the audit log names it. */
export interface Principal {
  kind: 'admin_user' | 'api_token' | 'static_token';
  /** The admin user's or the API token's id; null for the static ADMIN_TOKEN. */
  id: string | null;
  /** An email, a token name, or "ADMIN_TOKEN". */
  label: string;
}

export type Caller =
  | { kind: 'anonymous'; reason: 'missing' | 'invalid' }
  | {
      kind: 'admin';
      /** For an API token: the lesser of its own role and its holder's current one. */
      role: Role;
      /** null for platform admins and set for the two org roles. */
      orgId: string | null;
      principal: Principal;
      sessionHash: string | null;
      /** The admin user whose standing this credential rests on; null for ADMIN_TOKEN and tokens it made. */
      holderId: string | null;
      /** When the session or token stops working by itself; null = never. */
      expiresAt: Date | null;
    }
  | { kind: 'data-plane' };

/** An admin caller: the acting admin behind a request, as resolvers hand it to services. */
export type AdminCaller = Extract<Caller, { kind: 'admin' }>;

export function bearerToken(authorization: string | undefined | null): string | null {
  if (!authorization) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  return match ? match[1] : null;
}

/** Compares digests so neither the length nor a prefix of a configured token leaks through timing. */
export function sameSecret(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  return timingSafeEqual(Buffer.from(sha256Hex(a), 'hex'), Buffer.from(sha256Hex(b), 'hex'));
}

interface ScopeRow {
  id: string;
  label: string;
  role: Role;
  org_id: string | null;
  expires_at: Date | null;
}

/** An unexpired session of an enabled admin whose org (if any) is not deleted. */
async function sessionCaller(em: Em, hash: string): Promise<Caller | null> {
  const rows = await em.execute<ScopeRow[]>(
    `select a.id, a.email as label, a.role, a.org_id, s.expires_at from admin_sessions s
       join admin_users a on a.id = s.admin_id
       left join organizations o on o.id = a.org_id
      where s.token_hash = ? and s.expires_at > now() and a.disabled_at is null and o.deleted_at is null`,
    [hash],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    kind: 'admin',
    role: r.role,
    orgId: r.org_id,
    principal: { kind: 'admin_user', id: r.id, label: r.label },
    sessionHash: hash,
    holderId: r.id,
    expiresAt: new Date(r.expires_at!),
  };
}

/** Last use is written at most once a minute per token, so reads do not turn into a write each. */
const lastUsedResolutionSeconds = 60;

/**
 * An unrevoked, unexpired token of an org that is not deleted, whose holder (if any) exists, is enabled and
 * still has the token's scope. The holder's current role caps the token's.
 */
async function apiTokenCaller(em: Em, hash: string): Promise<Caller | null> {
  const rows = await em.execute<(ScopeRow & { holder_id: string | null; holder_role: Role | null })[]>(
    `select t.id, t.name as label, t.role, t.org_id, t.expires_at, h.id as holder_id, h.role as holder_role
       from api_tokens t
       left join organizations o on o.id = t.org_id
       left join admin_users h on h.id = t.holder_admin_id
      where t.token_hash = ? and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
        and o.deleted_at is null
        and (t.holder_admin_id is null
             or (h.id is not null and h.disabled_at is null and (h.org_id is null or h.org_id = t.org_id)))`,
    [hash],
  );
  const r = rows[0];
  if (!r) return null;
  await em.execute(
    `update api_tokens set last_used_at = now()
      where id = ? and (last_used_at is null or last_used_at < now() - make_interval(secs => ?))`,
    [r.id, lastUsedResolutionSeconds],
  );
  return {
    kind: 'admin',
    role: r.holder_role ? lesserRole(r.role, r.holder_role) : r.role,
    orgId: r.org_id,
    principal: { kind: 'api_token', id: r.id, label: r.label },
    sessionHash: null,
    holderId: r.holder_id,
    expiresAt: r.expires_at ? new Date(r.expires_at) : null,
  };
}

export async function resolveCaller(authorization: string | undefined | null, deps: Deps, em: Em): Promise<Caller> {
  const token = bearerToken(authorization);
  if (!token) return { kind: 'anonymous', reason: authorization ? 'invalid' : 'missing' };
  if (sameSecret(token, deps.config.dataPlaneToken)) return { kind: 'data-plane' };
  if (sameSecret(token, deps.config.adminToken)) {
    return {
      kind: 'admin',
      role: 'platform_admin',
      orgId: null,
      principal: { kind: 'static_token', id: null, label: 'ADMIN_TOKEN' },
      sessionHash: null,
      holderId: null,
      expiresAt: null,
    };
  }
  const hash = sha256Hex(token);
  const caller = token.startsWith('gwt_') ? await apiTokenCaller(em, hash) : await sessionCaller(em, hash);
  return caller ?? { kind: 'anonymous', reason: 'invalid' };
}
