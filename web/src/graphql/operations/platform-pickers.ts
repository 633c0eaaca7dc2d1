// Small searches behind the platform forms' pickers: organizations, modules, models, provider credentials, admins.
import { graphql } from '../generated';

export const PlatformOrgOptionsQuery = graphql(`
  query PlatformOrgOptions($search: String) {
    organizations(filter: { search: $search }, first: 20) {
      nodes { id name slug status }
    }
  }
`);

export const PlatformOrgNameQuery = graphql(`
  query PlatformOrgName($id: ID!) {
    organization(id: $id) { id name slug }
  }
`);

export const PlatformModuleOptionsQuery = graphql(`
  query PlatformModuleOptions($search: String) {
    modules(filter: { search: $search }, first: 20) {
      nodes { id key name status }
    }
  }
`);

/** With orgId: only the models that org may use. */
export const PlatformModelOptionsQuery = graphql(`
  query PlatformModelOptions($orgId: ID, $search: String) {
    models(orgId: $orgId, filter: { nameContains: $search }, first: 50) {
      nodes { id name }
    }
  }
`);

export const PlatformCredentialOptionsQuery = graphql(`
  query PlatformCredentialOptions($search: String) {
    providerCredentials(filter: { nameContains: $search }, first: 50) {
      nodes { id name provider baseUrl secretHint }
    }
  }
`);

export const PlatformAdminOptionsQuery = graphql(`
  query PlatformAdminOptions($search: String) {
    adminUsers(filter: { search: $search, includeDisabled: true }, first: 20) {
      nodes { id email name role }
    }
  }
`);

/** One credential's label, for a picker showing a credential chosen before it searched. */
export const PlatformCredentialNameQuery = graphql(`
  query PlatformCredentialName($id: ID!) {
    providerCredential(id: $id) { id name secretHint }
  }
`);
