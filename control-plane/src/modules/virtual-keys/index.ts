// The virtual-keys module: the virtual keys table, key queries and mutations, the key lists of orgs, teams and users,
// and the key loaders.
import { defineModule } from '../module.ts';
import {
  OrganizationVirtualKeysResolver,
  TeamVirtualKeysResolver,
  UserVirtualKeysResolver,
} from './owner-virtual-keys.resolver.ts';
import { VirtualKeyEntity } from './virtual-key.entity.ts';
import { VirtualKeyResolver } from './virtual-key.resolver.ts';
import { virtualKeyLoaders } from './virtual-key-loaders.ts';

export const virtualKeysModule = defineModule({
  name: 'virtual-keys',
  entities: [VirtualKeyEntity],
  resolvers: [VirtualKeyResolver, OrganizationVirtualKeysResolver, TeamVirtualKeysResolver, UserVirtualKeysResolver],
  loaders: virtualKeyLoaders,
});
