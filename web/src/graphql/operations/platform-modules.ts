// Module catalogue operations (platform admins): the catalogue's lifecycle and each module's per-org enablement.
import { graphql } from '../generated';

export const PlatformModulesQuery = graphql(`
  query PlatformModules($filter: ModuleFilter, $first: Int, $after: String, $last: Int, $before: String) {
    modules(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id key name description status createdAt }
    }
  }
`);

export const PlatformModuleQuery = graphql(`
  query PlatformModule($id: ID!) {
    module(id: $id) { id key name description status createdAt }
  }
`);

export const PlatformCreateModuleMutation = graphql(`
  mutation PlatformCreateModule($input: CreateModuleInput!) {
    createModule(input: $input) { id key name }
  }
`);

export const PlatformUpdateModuleMutation = graphql(`
  mutation PlatformUpdateModule($id: ID!, $input: UpdateModuleInput!) {
    updateModule(id: $id, input: $input) { id name description }
  }
`);

export const PlatformSuspendModuleMutation = graphql(`
  mutation PlatformSuspendModule($id: ID!) {
    suspendModule(id: $id) { id status }
  }
`);

export const PlatformReactivateModuleMutation = graphql(`
  mutation PlatformReactivateModule($id: ID!) {
    reactivateModule(id: $id) { id status }
  }
`);

export const PlatformDeleteModuleMutation = graphql(`
  mutation PlatformDeleteModule($id: ID!) {
    deleteModule(id: $id)
  }
`);

/**
 * The orgs a module is enabled for, each with its enablement. The API has no "enablements of a module" list, so
 * each org's modules are searched by the module's key (a substring match) and the page picks the one by id.
 */
export const PlatformModuleEnablementsQuery = graphql(`
  query PlatformModuleEnablements(
    $moduleId: ID!
    $moduleKey: String!
    $search: String
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    organizations(
      filter: { moduleId: $moduleId, search: $search }
      first: $first
      after: $after
      last: $last
      before: $before
    ) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        id
        name
        slug
        status
        modules(filter: { search: $moduleKey }, first: 100) {
          nodes { id moduleId allowedModels enabledAt }
        }
      }
    }
  }
`);

export const PlatformEnableModuleMutation = graphql(`
  mutation PlatformEnableModule($input: ModuleEnablementInput!) {
    enableModule(input: $input) { id orgId moduleId allowedModels enabledAt }
  }
`);

export const PlatformUpdateModuleEnablementMutation = graphql(`
  mutation PlatformUpdateModuleEnablement($input: ModuleEnablementInput!) {
    updateModuleEnablement(input: $input) { id orgId moduleId allowedModels enabledAt }
  }
`);

export const PlatformDisableModuleMutation = graphql(`
  mutation PlatformDisableModule($orgId: ID!, $moduleId: ID!) {
    disableModule(orgId: $orgId, moduleId: $moduleId)
  }
`);
