// The admin roles, defined once: the database stores these strings, the GraphQL enum AdminRole shows them uppercase,
// and the operation table (access/operations.ts) names them.

export const roles = ['platform_admin', 'org_admin', 'org_viewer'] as const;

/** The whole platform, one org's admin, or one org read-only. */
export type Role = (typeof roles)[number];

const roleRank: Record<Role, number> = { org_viewer: 0, org_admin: 1, platform_admin: 2 };

/** The lesser of two roles (a platform role and an org role never meet: the holder's scope rules that out). */
export const lesserRole = (a: Role, b: Role): Role => (roleRank[a] <= roleRank[b] ? a : b);

/** Roles a caller may hand out (to admin users and API tokens): never more than its own, only in its own org. */
export function mayGrant(caller: { role: Role; orgId: string | null }, role: Role, orgId: string | null): boolean {
  if (caller.role === 'platform_admin') return true;
  return caller.role === 'org_admin' && role !== 'platform_admin' && orgId === caller.orgId;
}
