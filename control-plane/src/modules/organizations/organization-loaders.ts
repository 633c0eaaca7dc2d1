// Per-request loaders of organizations: one query for every org a level of the response names.
import type { Em } from '../../db/orm.ts';
import { byId } from '../../graphql/loaders.ts';
import { OrganizationEntity, type OrganizationRecord } from './organization.entity.ts';

export function organizationLoaders(em: Em) {
  return {
    orgById: byId<OrganizationRecord>((ids) => em.find(OrganizationEntity, { id: { $in: ids }, deletedAt: null })),
  };
}
