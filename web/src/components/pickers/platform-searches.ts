// The searches behind the platform pickers (SearchSelect): organizations, modules, models, credentials, admins.
import type { SelectOption } from 'naive-ui';
import { request } from '../../graphql/client';
import {
  PlatformAdminOptionsQuery,
  PlatformCredentialOptionsQuery,
  PlatformModelOptionsQuery,
  PlatformModuleOptionsQuery,
  PlatformOrgNameQuery,
  PlatformOrgOptionsQuery,
} from '../../graphql/operations/platform-pickers';

export async function searchOrgs(search: string): Promise<SelectOption[]> {
  const { organizations } = await request(PlatformOrgOptionsQuery, { search: search || null });
  return organizations.nodes.map((o) => ({
    value: o.id,
    label: o.status === 'ACTIVE' ? o.name : `${o.name} (suspended)`,
  }));
}

export async function resolveOrgs(ids: string[]): Promise<SelectOption[]> {
  const found = await Promise.all(ids.map((id) => request(PlatformOrgNameQuery, { id })));
  return found.flatMap(({ organization: o }) => (o ? [{ value: o.id, label: o.name }] : []));
}

export async function searchModules(search: string): Promise<SelectOption[]> {
  const { modules } = await request(PlatformModuleOptionsQuery, { search: search || null });
  return modules.nodes.map((m) => ({ value: m.id, label: `${m.name} (${m.key})` }));
}

/** Models by name (their value is the name, as module and key restrictions take names); with an org, its models. */
export function searchModels(orgId: string | null) {
  return async (search: string): Promise<SelectOption[]> => {
    const { models } = await request(PlatformModelOptionsQuery, { orgId, search: search || null });
    return models.nodes.map((m) => ({ value: m.name, label: m.name }));
  };
}

export async function searchCredentials(search: string): Promise<SelectOption[]> {
  const { providerCredentials } = await request(PlatformCredentialOptionsQuery, { search: search || null });
  return providerCredentials.nodes.map((c) => ({ value: c.id, label: `${c.name} (${c.secretHint})` }));
}

export async function searchAdmins(search: string): Promise<SelectOption[]> {
  const { adminUsers } = await request(PlatformAdminOptionsQuery, { search: search || null });
  return adminUsers.nodes.map((a) => ({ value: a.id, label: a.name ? `${a.name} (${a.email})` : a.email }));
}
