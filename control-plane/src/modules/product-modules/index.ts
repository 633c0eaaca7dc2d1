// The product-modules module: the module catalogue and per-org enablements (tables), Organization.modules, and their
// loaders.
import { defineModule } from '../module.ts';
import { OrganizationModulesResolver } from './organization-modules.resolver.ts';
import { OrgModuleEntity, ProductModuleEntity } from './product-module.entity.ts';
import { OrgModuleResolver, ProductModuleResolver } from './product-module.resolver.ts';
import { productModuleLoaders } from './product-module-loaders.ts';

export const productModulesModule = defineModule({
  name: 'product-modules',
  entities: [ProductModuleEntity, OrgModuleEntity],
  resolvers: [ProductModuleResolver, OrgModuleResolver, OrganizationModulesResolver],
  loaders: productModuleLoaders,
});
