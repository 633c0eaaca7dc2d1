// The virtual-keys module: the virtual keys table, key queries and mutations, Organization.virtualKeys, and the key loaders.
import { defineModule } from '../module.ts';
import { OrganizationVirtualKeysResolver } from './organization-virtual-keys.resolver.ts';
import { VirtualKeyEntity } from './virtual-key.entity.ts';
import { VirtualKeyResolver } from './virtual-key.resolver.ts';
import { virtualKeyLoaders } from './virtual-key-loaders.ts';

export const virtualKeysModule = defineModule({
  name: 'virtual-keys',
  entities: [VirtualKeyEntity],
  resolvers: [VirtualKeyResolver, OrganizationVirtualKeysResolver],
  loaders: virtualKeyLoaders,
});
