// The organizations module: the organizations table, org queries and mutations, and orgs by id. Its child modules add
// the org's nested fields (Organization.teams, .users, .virtualKeys, .modules, .usage, .modelAccess).
import { defineModule } from '../module.ts';
import { OrganizationEntity } from './organization.entity.ts';
import { OrganizationResolver } from './organization.resolver.ts';
import { organizationLoaders } from './organization-loaders.ts';

export const organizationsModule = defineModule({
  name: 'organizations',
  entities: [OrganizationEntity],
  resolvers: [OrganizationResolver],
  loaders: organizationLoaders,
});
