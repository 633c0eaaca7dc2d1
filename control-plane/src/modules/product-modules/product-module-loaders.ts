// Per-request loaders of product modules: catalogue modules by id, and one page of enablements for every org of a
// level in one query.
import type { Em } from '../../db/orm.ts';
import { byId, pageLoader } from '../../graphql/loaders.ts';
import { OrgModuleService } from './org-module.service.ts';
import { ProductModuleEntity, type ProductModuleRecord } from './product-module.entity.ts';
import type { ModuleFilter } from './product-module.input.ts';
import type { OrgModule } from './product-module.type.ts';

export function productModuleLoaders(em: Em) {
  return {
    moduleById: byId<ProductModuleRecord>((ids) => em.find(ProductModuleEntity, { id: { $in: ids }, deletedAt: null })),
    modulesOfOrg: pageLoader<ModuleFilter, OrgModule>((ids, filter, page) =>
      new OrgModuleService(em).pages(ids, filter, page),
    ),
  };
}
