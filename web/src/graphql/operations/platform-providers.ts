// Provider credentials and models (platform admins): upstream accounts with masked hints, public models with their
// prices and weighted deployments.
import { graphql } from '../generated';

export const PlatformCredentialsQuery = graphql(`
  query PlatformCredentials(
    $filter: ProviderCredentialFilter
    $first: Int
    $after: String
    $last: Int
    $before: String
  ) {
    providerCredentials(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id name provider baseUrl secretHint rotatedAt createdAt updatedAt usedByModels }
    }
  }
`);

export const PlatformCreateCredentialMutation = graphql(`
  mutation PlatformCreateCredential($input: CreateProviderCredentialInput!) {
    createProviderCredential(input: $input) { id name secretHint }
  }
`);

export const PlatformUpdateCredentialMutation = graphql(`
  mutation PlatformUpdateCredential($input: UpdateProviderCredentialInput!) {
    updateProviderCredential(input: $input) { id name baseUrl }
  }
`);

export const PlatformRotateCredentialMutation = graphql(`
  mutation PlatformRotateCredential($input: RotateProviderCredentialInput!) {
    rotateProviderCredential(input: $input) { id secretHint rotatedAt }
  }
`);

export const PlatformDeleteCredentialMutation = graphql(`
  mutation PlatformDeleteCredential($id: ID!) {
    deleteProviderCredential(id: $id) { id name }
  }
`);

export const PlatformModelsQuery = graphql(`
  query PlatformModels($filter: ModelFilter, $first: Int, $after: String, $last: Int, $before: String) {
    models(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes {
        id
        name
        inputPricePerMTok
        outputPricePerMTok
        cachedInputPricePerMTok
        createdAt
        deployments { id weight upstreamModel credential { id name } }
      }
    }
  }
`);

export const PlatformModelQuery = graphql(`
  query PlatformModel($id: ID!) {
    model(id: $id) {
      id
      name
      inputPricePerMTok
      outputPricePerMTok
      cachedInputPricePerMTok
      createdAt
      updatedAt
      deployments {
        id
        credentialId
        upstreamModel
        weight
        createdAt
        credential { id name provider baseUrl secretHint }
      }
    }
  }
`);

export const PlatformCreateModelMutation = graphql(`
  mutation PlatformCreateModel($input: CreateModelInput!) {
    createModel(input: $input) { id name }
  }
`);

export const PlatformUpdateModelMutation = graphql(`
  mutation PlatformUpdateModel($input: UpdateModelInput!) {
    updateModel(input: $input) { id inputPricePerMTok outputPricePerMTok cachedInputPricePerMTok updatedAt }
  }
`);

export const PlatformDeleteModelMutation = graphql(`
  mutation PlatformDeleteModel($id: ID!) {
    deleteModel(id: $id) { id name }
  }
`);

export const PlatformAddDeploymentMutation = graphql(`
  mutation PlatformAddDeployment($input: AddModelDeploymentInput!) {
    addModelDeployment(input: $input) { id }
  }
`);

export const PlatformUpdateDeploymentMutation = graphql(`
  mutation PlatformUpdateDeployment($input: UpdateModelDeploymentInput!) {
    updateModelDeployment(input: $input) { id }
  }
`);

export const PlatformRemoveDeploymentMutation = graphql(`
  mutation PlatformRemoveDeployment($id: ID!) {
    removeModelDeployment(id: $id) { id }
  }
`);
