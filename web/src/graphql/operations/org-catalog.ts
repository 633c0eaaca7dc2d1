// What an org may use: the modules enabled for it (with their model restriction) and the models it may call, and
// the platform admins' control over the org's models (enabling modules uses platform-modules.ts).
import { graphql } from '../generated';

export const OrgModulesQuery = graphql(`
  query OrgModules($orgId: ID!, $filter: ModuleFilter, $first: Int, $after: String, $last: Int, $before: String) {
    organization(id: $orgId) {
      id
      modules(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        nodes {
          id
          moduleId
          allowedModels
          enabledAt
          module { id key name description status }
        }
      }
    }
  }
`);

/** The enabled modules matching a search, for the key form's module binding. */
export const OrgModuleOptionsQuery = graphql(`
  query OrgModuleOptions($orgId: ID!, $search: String, $first: Int) {
    organization(id: $orgId) {
      id
      modules(filter: { search: $search }, first: $first) {
        nodes { moduleId allowedModels module { id key name status } }
      }
    }
  }
`);

export const OrgModelsQuery = graphql(`
  query OrgModels($orgId: ID!, $filter: ModelFilter, $first: Int, $after: String, $last: Int, $before: String) {
    models(orgId: $orgId, filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id name inputPricePerMTok outputPricePerMTok cachedInputPricePerMTok updatedAt }
    }
  }
`);

/** Whether the org may use every model or only a list (the names, for the platform admins' change dialog). */
export const OrgModelAccessQuery = graphql(`
  query OrgModelAccess($orgId: ID!) {
    organization(id: $orgId) {
      id
      modelAccess { allModels models { id name } }
    }
  }
`);

/** Every model, or only the named ones (platform admins only). */
export const SetOrgModelAccessMutation = graphql(`
  mutation SetOrgModelAccess($input: SetOrgModelAccessInput!) {
    setOrgModelAccess(input: $input) { orgId allModels models { id name } }
  }
`);

/** Model names matching a search, for the key form's allowed models. */
export const OrgModelOptionsQuery = graphql(`
  query OrgModelOptions($orgId: ID!, $search: String, $first: Int) {
    models(orgId: $orgId, filter: { nameContains: $search }, first: $first) {
      nodes { id name }
    }
  }
`);
