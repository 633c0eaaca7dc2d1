// The users module: users and team memberships (tables), user queries and mutations, Organization.users, and the user
// loaders.
import { defineModule } from '../module.ts';
import { OrganizationUsersResolver } from './organization-users.resolver.ts';
import { UserEntity, UserTeamEntity } from './user.entity.ts';
import { UserResolver } from './user.resolver.ts';
import { userLoaders } from './user-loaders.ts';

export const usersModule = defineModule({
  name: 'users',
  entities: [UserEntity, UserTeamEntity],
  resolvers: [UserResolver, OrganizationUsersResolver],
  loaders: userLoaders,
});
