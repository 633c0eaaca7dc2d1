// Client rules of the admin and API token forms, mirroring the control plane's (it checks everything again): which
// roles a panel may grant, the org an org role needs, password length, and a generator for initial passwords.
import type { AdminRole } from '../../graphql/generated/graphql';
import { all, email, maxLength, required } from '../../validation';

/** The panel a list or form is in: the global admin panel, or one org's panel. */
export type AccessScope = { kind: 'platform' } | { kind: 'org'; orgId: string };

const roleOrder: AdminRole[] = ['PLATFORM_ADMIN', 'ORG_ADMIN', 'ORG_VIEWER'];

export const roleHints: Record<AdminRole, string> = {
  PLATFORM_ADMIN: 'Runs the whole gateway: every organization, providers, models, billing.',
  ORG_ADMIN: 'Manages one organization: its teams, users, keys, admins and API tokens.',
  ORG_VIEWER: 'Reads one organization: its usage, settings and audit log, without changing anything.',
};

/** Roles the panel may hand out: an org admin never grants a platform role (the API refuses it too). */
export function grantableRoles(scope: AccessScope): AdminRole[] {
  return scope.kind === 'platform' ? roleOrder : roleOrder.filter((r) => r !== 'PLATFORM_ADMIN');
}

export const isOrgRole = (role: AdminRole | null): boolean => role === 'ORG_ADMIN' || role === 'ORG_VIEWER';

/** Roles an existing admin may be moved to: a platform admin stays one, an org role stays an org role. */
export function rolesFor(current: AdminRole): AdminRole[] {
  return current === 'PLATFORM_ADMIN' ? ['PLATFORM_ADMIN'] : ['ORG_ADMIN', 'ORG_VIEWER'];
}

export function roleError(role: AdminRole | null): string | undefined {
  return role ? undefined : 'Choose a role.';
}

/** An org role needs its organization; a platform admin has none. */
export function orgError(orgId: string | null, role: AdminRole | null): string | undefined {
  return isOrgRole(role) && !orgId ? 'Choose the organization this role is for.' : undefined;
}

export const minPasswordLength = 12;
export const maxPasswordLength = 256;

/** `optional`: an empty value means "keep the current password" (the edit form). */
export function passwordError(value: string, optional = false): string | undefined {
  if (value === '') return optional ? undefined : 'Set an initial password.';
  if (value.length < minPasswordLength) return `The password must be at least ${minPasswordLength} characters.`;
  if (value.length > maxPasswordLength) return `The password must be at most ${maxPasswordLength} characters.`;
  return undefined;
}

export const adminEmailError = all(required('Email'), email, maxLength('Email', 254));
export const adminNameError = maxLength('Name', 200);
export const tokenNameError = all(required('Name'), maxLength('Name', 200));

const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random password of `length` characters (no look-alikes such as l/1/O/0), from the browser's CSPRNG. */
export function generatePassword(
  length = 20,
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  let out = '';
  // Rejection sampling keeps every character equally likely (256 is not a multiple of the alphabet's size).
  const limit = 256 - (256 % alphabet.length);
  while (out.length < length) {
    for (const byte of random(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

const roleLabels: Record<string, string> = {
  PLATFORM_ADMIN: 'Platform admin',
  ORG_ADMIN: 'Org admin',
  ORG_VIEWER: 'Org viewer',
};

export function roleLabel(role: string): string {
  return roleLabels[role] ?? role;
}
