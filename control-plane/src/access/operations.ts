// Who may run what: every GraphQL query, mutation and subscription, and every field resolver that loads more data,
// with the roles that may run it and how its tenant scope is found. The one source of truth for authorization:
// access/guard-schema.ts applies it to the built schema (which refuses to build when a root field is missing here),
// and the isolation matrix (access/isolation.test.ts) derives its expected outcomes from it.
import type { Role } from './roles.ts';

/** A role, the data-plane token, or anyone at all (no token needed). */
export type Allowed = Role | 'data-plane' | 'anyone';

/** Things inside an org that operations name by id; access/owners.ts finds the org that owns each. */
export type Owned = 'team' | 'user' | 'virtualKey' | 'adminUser' | 'apiToken';

/** A dotted path into the operation's arguments, e.g. `orgId` or `input.orgId`. */
export type ArgPath = string;

export type Scope =
  /** No tenant: the roles alone decide (the catalogue, providers, billing defaults, the fleet, data-plane calls). */
  | { kind: 'platform' }
  /** Every admin in `roles`, answered within the caller's own scope (its org, or every org for the platform). */
  | { kind: 'caller' }
  /** The calling admin itself, which must be a logged-in admin user; `orNull`: anyone else gets null. */
  | { kind: 'self'; orNull?: true }
  /**
   * The org whose id is the argument `from`. Without it, `absent` decides: 'platform' (platform admins only) or
   * 'caller' (the caller's own scope). `hidden`: out of scope answers null instead of an error (lookups by id).
   */
  | { kind: 'org'; from: ArgPath; absent?: 'platform' | 'caller'; hidden?: 'null' }
  /**
   * The org owning the `of` whose id is the argument `from` (null-org admin users and API tokens are the
   * platform's). Out of sight is NOT_FOUND blaming `from` (its existence never leaks), or null with `hidden`.
   */
  | { kind: 'owner'; of: Owned; from: ArgPath; hidden?: 'null' }
  /** A nested field: the org of the parent object, which the caller reached through an authorized operation. */
  | { kind: 'parent'; org: (root: never) => string };

export interface Operation {
  /** Who may run it. Org roles run it in their own org only; a role missing here is refused. */
  roles: readonly Allowed[];
  scope: Scope;
  /** Arguments only platform admins may give (FORBIDDEN for others, after the scope check). */
  platformArgs?: readonly ArgPath[];
  /** Argument values only platform admins may give (FORBIDDEN for others, after the scope check). */
  platformValues?: Readonly<Record<ArgPath, readonly unknown[]>>;
  /** An argument holding a role to hand out, in the scope's org: never above the caller's own (roles.ts mayGrant). */
  grants?: ArgPath;
}

const everyAdmin = ['platform_admin', 'org_admin', 'org_viewer'] as const satisfies Role[];
const orgAdmins = ['platform_admin', 'org_admin'] as const satisfies Role[];
const platformAdmins = ['platform_admin'] as const satisfies Role[];

const platform: Scope = { kind: 'platform' };
const caller: Scope = { kind: 'caller' };
const org = (from: ArgPath, more: Omit<Extract<Scope, { kind: 'org' }>, 'kind' | 'from'> = {}): Scope => ({
  kind: 'org',
  from,
  ...more,
});
const owner = (of: Owned, from = 'id', hidden?: 'null'): Scope => ({
  kind: 'owner',
  of,
  from,
  ...(hidden && { hidden }),
});
const parent = <T>(orgOf: (root: T) => string): Scope => ({ kind: 'parent', org: orgOf as (root: never) => string });

type OrgRooted = { orgId: string };
const ofOrg = parent((o: { id: string }) => o.id);
const ofOwner = parent((r: OrgRooted) => r.orgId);

const read = (scope: Scope): Operation => ({ roles: everyAdmin, scope });
const write = (scope: Scope): Operation => ({ roles: orgAdmins, scope });
const platformOnly: Operation = { roles: platformAdmins, scope: platform };
const dataPlane: Operation = { roles: ['data-plane'], scope: platform };

/** Keyed by schema coordinate (`Type.field`). */
export const operations: Record<string, Operation> = {
  // ---- the caller itself, anyone, and the data plane
  'Mutation.login': { roles: ['anyone'], scope: platform },
  'Query.me': { roles: everyAdmin, scope: { kind: 'self', orNull: true } },
  'Mutation.logout': read(caller),
  'Mutation.changePassword': read({ kind: 'self' }),
  'Mutation.ingestUsage': dataPlane,
  'Mutation.reportNodeStatus': dataPlane,
  'Subscription.configSync': dataPlane,

  // ---- organizations and what hangs off them
  'Query.organizations': read(caller),
  'Query.organization': read(org('id', { hidden: 'null' })),
  'Mutation.createOrganization': platformOnly,
  'Mutation.updateOrganization': platformOnly,
  'Mutation.suspendOrganization': platformOnly,
  'Mutation.reactivateOrganization': platformOnly,
  'Mutation.deleteOrganization': platformOnly,
  'Organization.teams': read(ofOrg),
  'Organization.users': read(ofOrg),
  'Organization.virtualKeys': read(ofOrg),
  'Organization.modules': read(ofOrg),
  'Organization.usage': read(ofOrg),
  'Organization.modelAccess': read(ofOrg),
  'Organization.limits': read(ofOrg),

  // ---- teams
  'Query.teams': read(org('orgId', { absent: 'caller' })),
  'Query.team': read(owner('team', 'id', 'null')),
  'Mutation.createTeam': write(org('input.orgId')),
  'Mutation.updateTeam': write(owner('team')),
  'Mutation.suspendTeam': write(owner('team')),
  'Mutation.reactivateTeam': write(owner('team')),
  'Mutation.deleteTeam': write(owner('team')),
  'Mutation.addTeamMember': write(owner('team', 'teamId')),
  'Mutation.removeTeamMember': write(owner('team', 'teamId')),
  'Team.organization': read(ofOwner),
  'Team.members': read(ofOwner),
  'Team.virtualKeys': read(ofOwner),
  'Team.limits': read(ofOwner),

  // ---- users
  'Query.users': read(org('orgId', { absent: 'caller' })),
  'Query.user': read(owner('user', 'id', 'null')),
  'Mutation.createUser': write(org('input.orgId')),
  'Mutation.updateUser': write(owner('user')),
  'Mutation.suspendUser': write(owner('user')),
  'Mutation.reactivateUser': write(owner('user')),
  'Mutation.deleteUser': write(owner('user')),
  'User.teamIds': read(ofOwner),
  'User.teams': read(ofOwner),
  'User.virtualKeys': read(ofOwner),
  'User.organization': read(ofOwner),
  'User.limits': read(ofOwner),

  // ---- virtual keys
  'Query.virtualKeys': read(org('orgId', { absent: 'caller' })),
  'Query.virtualKey': read(owner('virtualKey', 'id', 'null')),
  'Mutation.createVirtualKey': write(org('input.orgId')),
  'Mutation.updateVirtualKey': write(owner('virtualKey')),
  'Mutation.revokeVirtualKey': write(owner('virtualKey')),
  'Mutation.rotateVirtualKey': write(owner('virtualKey')),
  'VirtualKey.organization': read(ofOwner),
  'VirtualKey.user': read(ofOwner),
  'VirtualKey.team': read(ofOwner),
  'VirtualKey.module': read(ofOwner),
  'VirtualKey.limits': read(ofOwner),

  // ---- admin users and API tokens (never granting more than the caller has)
  'Query.adminUsers': read(org('orgId', { absent: 'platform' })),
  'Mutation.createAdminUser': { ...write(org('input.orgId', { absent: 'platform' })), grants: 'input.role' },
  'Mutation.updateAdminUser': { ...write(owner('adminUser')), grants: 'input.role' },
  'Mutation.deleteAdminUser': write(owner('adminUser')),
  'Query.apiTokens': read(org('orgId', { absent: 'platform' })),
  'Mutation.createApiToken': { ...write(org('input.orgId', { absent: 'platform' })), grants: 'input.role' },
  'Mutation.revokeApiToken': write(owner('apiToken')),

  // ---- audit log and usage
  'Query.auditEvents': read(org('orgId', { absent: 'platform' })),
  'Query.usageByOrg': read(caller),
  'Query.usageSeries': read(org('orgId', { absent: 'platform' })),
  'Query.usageTop': read(org('orgId', { absent: 'platform' })),
  'Query.usageTotals': read(org('orgId', { absent: 'platform' })),
  'Subscription.usageUpdates': read(org('orgId', { absent: 'platform' })),

  // ---- billing
  'Query.billingSettings': read(org('orgId')),
  'Query.billingExport': read(org('orgId')),
  'Query.defaultBillingSettings': platformOnly,
  'Mutation.setBillingSettings': platformOnly,
  'Mutation.resetBillingSettings': platformOnly,
  'Mutation.setDefaultBillingSettings': platformOnly,

  // ---- budgets and rate limits: an org's own (ORG scope) are the platform's to set, the rest its admins'
  'Query.limits': read(org('orgId')),
  'Query.scopeLimits': read(org('orgId')),
  'Query.budgetLeases': read(org('orgId')),
  'Query.limitsNearOrOver': platformOnly,
  'Query.budgetBasis': platformOnly,
  'Mutation.setLimits': { ...write(org('orgId')), platformValues: { scope: ['org'] } },
  'Mutation.removeLimits': { ...write(org('orgId')), platformValues: { scope: ['org'] } },
  'Mutation.resetBudgetPeriod': { ...write(org('orgId')), platformValues: { scope: ['org'] } },
  'Mutation.setBudgetBasis': platformOnly,
  'Mutation.leaseBudgets': dataPlane,

  // ---- module catalogue (org roles see the modules enabled for their org) and enablements
  'Query.modules': read(caller),
  'Query.module': read(caller),
  'Mutation.createModule': platformOnly,
  'Mutation.updateModule': platformOnly,
  'Mutation.suspendModule': platformOnly,
  'Mutation.reactivateModule': platformOnly,
  'Mutation.deleteModule': platformOnly,
  'Mutation.enableModule': platformOnly,
  'Mutation.updateModuleEnablement': platformOnly,
  'Mutation.disableModule': platformOnly,
  'OrgModule.module': read(ofOwner),

  // ---- models (org roles see the models their org may use) and provider credentials
  'Query.models': { ...read(org('orgId', { absent: 'caller' })), platformArgs: ['filter.credentialId'] },
  'Query.model': read(caller),
  'Model.deployments': platformOnly,
  'ModelDeployment.credential': platformOnly,
  'OrgModelAccess.models': read(ofOwner),
  'Mutation.setOrgModelAccess': platformOnly,
  'Mutation.createModel': platformOnly,
  'Mutation.updateModel': platformOnly,
  'Mutation.deleteModel': platformOnly,
  'Mutation.addModelDeployment': platformOnly,
  'Mutation.updateModelDeployment': platformOnly,
  'Mutation.removeModelDeployment': platformOnly,
  'Query.providerCredentials': platformOnly,
  'Query.providerCredential': platformOnly,
  'ProviderCredential.usedByModels': platformOnly,
  'Mutation.createProviderCredential': platformOnly,
  'Mutation.updateProviderCredential': platformOnly,
  'Mutation.rotateProviderCredential': platformOnly,
  'Mutation.deleteProviderCredential': platformOnly,

  // ---- the data-plane fleet and config sync
  'Query.dataPlaneNodes': platformOnly,
  'Query.configState': platformOnly,
  'Query.fleetSync': platformOnly,
};
