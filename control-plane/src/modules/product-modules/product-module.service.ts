// The module catalogue (platform-wide): stable unique keys, lifecycle, and what deleting a module does to its
// enablements and keys.
import { LockMode } from '@mikro-orm/core';
import type { Principal } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { textLimits } from '../../graphql/input-limits.ts';
import { byCreation, containsPattern, type ListSource, listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { isUuid, optionalText, requireText } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import type { EntityStatusValue } from '../organizations/organization.entity.ts';
import { slugPattern, slugRule } from '../organizations/organization.service.ts';
import { ProductModuleEntity, type ProductModuleRecord } from './product-module.entity.ts';
import type { ModuleFilter } from './product-module.input.ts';
import { ProductModule } from './product-module.type.ts';

/** Conditions on `product_modules m` for a filter (deleted modules never match). */
export function moduleConditions(filter: ModuleFilter | null): Sql[] {
  const where: Sql[] = [sql('m.deleted_at is null')];
  if (filter?.status) where.push(sql('m.status = ?', filter.status));
  if (filter?.search?.trim()) {
    const pattern = containsPattern(filter.search.trim());
    where.push(sql('m.key ilike ? or m.name ilike ?', pattern, pattern));
  }
  return where;
}

const statusVerb = { active: 'reactivate', suspended: 'suspend' } as const;
const maxDescription = textLimits.description;

const moduleTarget = (m: ProductModuleRecord) => ({ type: 'module', id: m.id, orgId: null });

export class ProductModuleService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** `enabledFor` null = the whole catalogue (platform admins); an org id = the modules enabled for that org. */
  list(
    enabledFor: string | null,
    filter: ModuleFilter | null,
    page: PageArgs,
  ): Promise<ConnectionShape<ProductModule>> {
    const where = moduleConditions(filter);
    if (enabledFor) {
      where.push(sql('exists (select 1 from org_modules om where om.module_id = m.id and om.org_id = ?)', enabledFor));
    }
    const src: ListSource = {
      from: 'product_modules m',
      columns: 'm.*',
      keys: byCreation('m.created_at', 'm.id'),
      where,
    };
    return listPage(this.#em, src, page, (row) => ProductModule.from(this.#em.map(ProductModuleEntity, row as never)));
  }

  async find(id: string): Promise<ProductModuleRecord | null> {
    if (!isUuid(id)) return null;
    return this.#em.findOne(ProductModuleEntity, { id, deletedAt: null });
  }

  /** Is the module enabled for the org? (Org callers see only such modules.) */
  async enabledFor(moduleId: string, orgId: string): Promise<boolean> {
    const rows = await this.#em.execute('select 1 from org_modules where module_id = ? and org_id = ?', [
      moduleId,
      orgId,
    ]);
    return rows.length > 0;
  }

  async require(id: string, field: string): Promise<ProductModuleRecord> {
    const m = await this.find(id);
    if (!m) throw notFound(field, `Module ${id} does not exist`);
    return m;
  }

  async create(
    actor: Principal,
    input: { key: string; name: string; description?: string | null },
  ): Promise<ProductModuleRecord> {
    const key = input.key.trim();
    if (!slugPattern.test(key)) throw badInput('input.key', `key must be ${slugRule}`);
    const name = requireText('input.name', input.name);
    const description = optionalText('input.description', input.description, maxDescription);
    return auditedChange(this.#em, actor, {
      action: 'module.create',
      mutate: async (em) => {
        if (await em.count(ProductModuleEntity, { key, deletedAt: null })) {
          throw conflict('input.key', `A module with key "${key}" already exists`);
        }
        return em.create(ProductModuleEntity, { key, name, description });
      },
      after: (_, m) => ProductModule.from(m),
      target: moduleTarget,
    });
  }

  /** Name and description are not in the snapshot: an update is not pushed to the data planes. */
  async update(
    actor: Principal,
    id: string,
    input: { name?: string | null; description?: string | null },
  ): Promise<ProductModuleRecord> {
    const name = input.name === undefined || input.name === null ? undefined : requireText('input.name', input.name);
    const description =
      input.description === undefined
        ? undefined
        : optionalText('input.description', input.description, maxDescription);
    await this.require(id, 'id');
    return auditedChange(this.#em, actor, {
      action: 'module.update',
      ...this.#locked(id),
      mutate: async (_, m) => {
        if (name !== undefined) m.name = name;
        if (description !== undefined) m.description = description;
        return m;
      },
    });
  }

  /** Requests attributed to a suspended module are refused on every data plane, in every org. */
  async setStatus(actor: Principal, id: string, status: EntityStatusValue): Promise<ProductModuleRecord> {
    await this.require(id, 'id');
    return auditedChange(this.#em, actor, {
      action: `module.${statusVerb[status]}`,
      ...this.#locked(id),
      mutate: async (_, m) => {
        m.status = status;
        return m;
      },
    });
  }

  /**
   * Soft delete: the module leaves the catalogue and the snapshot, its enablements are removed and the keys bound to
   * it are revoked (they could never be used again). Usage records keep its id. Its key becomes free for reuse.
   */
  async delete(actor: Principal, id: string): Promise<string> {
    await this.require(id, 'id');
    const now = new Date();
    const deleted = await auditedChange(this.#em, actor, {
      action: 'module.delete',
      ...this.#locked(id),
      mutate: async (em, m) => {
        m.deletedAt = now;
        const [{ n: disabledIn }] = await em.execute<{ n: number }[]>(
          'with d as (delete from org_modules where module_id = ? returning 1) select count(*)::int as n from d',
          [m.id],
        );
        const [{ n: revokedKeys }] = await em.execute<{ n: number }[]>(
          `with d as (update virtual_keys set revoked_at = ? where module_id = ? and revoked_at is null returning 1)
           select count(*)::int as n from d`,
          [now, m.id],
        );
        return { m, disabledIn, revokedKeys };
      },
      after: (_, { disabledIn, revokedKeys }) => ({ deletedAt: now, disabledIn, revokedKeys }),
      target: ({ m }) => moduleTarget(m),
    });
    return deleted.m.id;
  }

  /** Lock, before/after views and target of a change to one module. */
  #locked(id: string) {
    return {
      lock: (em: Em) => this.#lock(em, id),
      before: (_: Em, m: ProductModuleRecord) => ProductModule.from(m),
      after: (_: Em, m: ProductModuleRecord) => ProductModule.from(m),
      target: moduleTarget,
    };
  }

  async #lock(em: Em, id: string): Promise<ProductModuleRecord> {
    const m = await em.findOne(ProductModuleEntity, { id, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!m) throw notFound('id', `Module ${id} does not exist`);
    return m;
  }
}
