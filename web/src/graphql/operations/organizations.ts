// Organization operations: list, one by id, create.
import { operation } from '../operation';
import type { CreateOrganizationInput, Organization, Page } from '../types';

export const organizationFields = 'id name slug status createdAt';

export const OrganizationsQuery = operation<{ organizations: Page<Organization> }>(
  `query Organizations { organizations(first: 100) { nodes { ${organizationFields} } } }`,
);

export const OrganizationQuery = operation<{ organization: Organization | null }, { id: string }>(
  `query Organization($id: ID!) { organization(id: $id) { ${organizationFields} } }`,
);

export const CreateOrganizationMutation = operation<
  { createOrganization: Organization },
  { input: CreateOrganizationInput }
>(`mutation CreateOrganization($input: CreateOrganizationInput!) {
  createOrganization(input: $input) { ${organizationFields} }
}`);
