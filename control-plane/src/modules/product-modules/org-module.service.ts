// Enabling catalogue modules for an org (platform admins), each optionally restricted to some models.
import { LockMode } from '@mikro-orm/core';
import type { Principal } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';
import { conflict, notFound } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { byCreation, pagesPerParent } from '../../graphql/sql-list.ts';
import { isUuid } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { OrganizationService } from '../organizations/organization.service.ts';
import { requireModelNames } from '../virtual-keys/model-names.ts';
import { OrgModuleEntity, type OrgModuleRecord } from './product-module.entity.ts';
import type { ModuleFilter } from './product-module.input.ts';
import { moduleConditions, ProductModuleService } from './product-module.service.ts';
import { OrgModule } from './product-module.type.ts';

export interface Enablement {
  orgId: string;
  moduleId: string;
  allowedModels?: string[] | null;
}

const enablementTarget = (e: OrgModuleRecord) => ({ type: 'orgModule', id: e.id, orgId: e.orgId });

export class OrgModuleService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** The enablements of several orgs, one page each (a window query without a cursor). */
  pages(
    orgIds: readonly string[],
    filter: ModuleFilter | null,
    page: PageArgs,
  ): Promise<Map<string, ConnectionShape<OrgModule>>> {
    const src = {
      from: 'org_modules om join product_modules m on m.id = om.module_id',
      columns: 'om.*',
      keys: byCreation('om.created_at', 'om.id'),
      where: moduleConditions(filter),
    };
    return pagesPerParent(this.#em, src, 'om.org_id', orgIds, page, (row) =>
      OrgModule.from(this.#em.map(OrgModuleEntity, row as never)),
    );
  }

  /** The enablement of a module for an org, or null (also when the module was deleted). */
  async find(orgId: string, moduleId: string): Promise<OrgModuleRecord | null> {
    if (!isUuid(orgId) || !isUuid(moduleId)) return null;
    const rows = await this.#em.execute(
      `select om.* from org_modules om join product_modules m on m.id = om.module_id
        where om.org_id = ? and om.module_id = ? and m.deleted_at is null`,
      [orgId, moduleId],
    );
    return rows[0] ? this.#em.map(OrgModuleEntity, rows[0] as never) : null;
  }

  async enable(actor: Principal, input: Enablement): Promise<OrgModuleRecord> {
    await new OrganizationService(this.#em).require(input.orgId, 'input.orgId');
    await new ProductModuleService(this.#em).require(input.moduleId, 'input.moduleId');
    const allowedModels = await requireModelNames(this.#em, 'input.allowedModels', input.allowedModels);
    return auditedChange(this.#em, actor, {
      action: 'module.enable',
      mutate: async (em) => {
        if (await em.count(OrgModuleEntity, { orgId: input.orgId, moduleId: input.moduleId })) {
          throw conflict('input.moduleId', 'This module is already enabled for the organization; update it instead');
        }
        return em.create(OrgModuleEntity, { orgId: input.orgId, moduleId: input.moduleId, allowedModels });
      },
      after: (_, enabled) => OrgModule.from(enabled),
      target: enablementTarget,
    });
  }

  async update(actor: Principal, input: Enablement): Promise<OrgModuleRecord> {
    const current = await this.#require(input.orgId, input.moduleId);
    const allowedModels = await requireModelNames(this.#em, 'input.allowedModels', input.allowedModels);
    return auditedChange(this.#em, actor, {
      action: 'module.updateEnablement',
      lock: (em) => em.findOneOrFail(OrgModuleEntity, { id: current.id }, { lockMode: LockMode.PESSIMISTIC_WRITE }),
      before: (_, enabled) => OrgModule.from(enabled),
      mutate: async (_, enabled) => {
        enabled.allowedModels = allowedModels;
        return enabled;
      },
      after: (_, enabled) => OrgModule.from(enabled),
      target: enablementTarget,
    });
  }

  /**
   * Idempotent; answers whether the module was enabled. Keys of the org bound to the module stay, but data planes
   * refuse them (policy_module_not_enabled) until the module is enabled again.
   */
  async disable(actor: Principal, orgId: string, moduleId: string): Promise<boolean> {
    await new OrganizationService(this.#em).require(orgId, 'orgId');
    await new ProductModuleService(this.#em).require(moduleId, 'moduleId');
    const current = await this.find(orgId, moduleId);
    await auditedChange(this.#em, actor, {
      action: 'module.disable',
      before: () => (current ? OrgModule.from(current) : null),
      mutate: async (em) => {
        if (current) await em.execute('delete from org_modules where id = ?', [current.id]);
      },
      after: () => ({ orgId, moduleId, enabled: false }),
      target: () => ({ type: 'orgModule', id: current?.id ?? null, orgId }),
    });
    return current !== null;
  }

  async #require(orgId: string, moduleId: string): Promise<OrgModuleRecord> {
    await new OrganizationService(this.#em).require(orgId, 'input.orgId');
    await new ProductModuleService(this.#em).require(moduleId, 'input.moduleId');
    const found = await this.find(orgId, moduleId);
    if (!found) throw notFound('input.moduleId', 'This module is not enabled for the organization');
    return found;
  }
}
