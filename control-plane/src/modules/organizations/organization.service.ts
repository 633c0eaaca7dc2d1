// Organization rules: unique slugs, lookups that hide soft-deleted rows, lifecycle (suspend, reactivate, delete).
import { LockMode } from '@mikro-orm/core';
import type { Principal } from '../../access/caller.ts';
import { notifyCredentialChange } from '../../access/live-credentials.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { byCreation, containsPattern, type ListSource, listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { filterId, isUuid, requireText } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { type CreatedLimits, createdView, writeCreated } from '../limits/created-limits.ts';
import { isTimeZone } from '../limits/periods.ts';
import { type EntityStatusValue, OrganizationEntity, type OrganizationRecord } from './organization.entity.ts';
import type { OrganizationFilter } from './organization.input.ts';
import { Organization } from './organization.type.ts';

export const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const slugRule = '1-63 lowercase letters, digits or dashes, starting and ending with a letter or digit';

export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

function requireSlug(field: string, value: string): string {
  const slug = value.trim();
  if (!slugPattern.test(slug)) throw badInput(field, `slug must be ${slugRule}`);
  return slug;
}

function requireTimeZone(field: string, value: string): string {
  const tz = value.trim();
  if (!isTimeZone(tz)) throw badInput(field, 'timeZone must be an IANA time zone name such as Europe/Berlin or UTC');
  return tz;
}

const statusVerb = { active: 'reactivate', suspended: 'suspend' } as const;

const orgTarget = (org: OrganizationRecord) => ({ type: 'organization', id: org.id, orgId: org.id });

export class OrganizationService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** `scope` null = every org (platform admins); an org id = only that org. */
  list(
    scope: string | null,
    filter: OrganizationFilter | null,
    page: PageArgs,
  ): Promise<ConnectionShape<Organization>> {
    const where: Sql[] = [sql('o.deleted_at is null')];
    if (scope) where.push(sql('o.id = ?', scope));
    if (filter?.status) where.push(sql('o.status = ?', filter.status));
    if (filter?.search?.trim()) {
      const pattern = containsPattern(filter.search.trim());
      where.push(sql('o.name ilike ? or o.slug ilike ?', pattern, pattern));
    }
    const moduleId = filterId('filter.moduleId', filter?.moduleId);
    if (moduleId) {
      where.push(
        sql(
          `exists (select 1 from org_modules om join product_modules m on m.id = om.module_id
                    where om.org_id = o.id and om.module_id = ? and m.deleted_at is null)`,
          moduleId,
        ),
      );
    }
    const src: ListSource = {
      from: 'organizations o',
      columns: 'o.*',
      keys: byCreation('o.created_at', 'o.id'),
      where,
    };
    return listPage(this.#em, src, page, (row) => Organization.from(this.#em.map(OrganizationEntity, row as never)));
  }

  async find(id: string): Promise<OrganizationRecord | null> {
    if (!isUuid(id)) return null;
    return this.#em.findOne(OrganizationEntity, { id, deletedAt: null });
  }

  /** The org an input refers to; NOT_FOUND (blaming `field`) when it does not exist. */
  async require(id: string, field: string): Promise<OrganizationRecord> {
    const org = await this.find(id);
    if (!org) throw notFound(field, `Organization ${id} does not exist`);
    return org;
  }

  async create(
    actor: Principal,
    input: { name: string; slug?: string | null; timeZone?: string | null; budgetFailOpen?: boolean | null },
    limits: CreatedLimits | null = null,
  ): Promise<OrganizationRecord> {
    const name = requireText('input.name', input.name);
    const slug = input.slug?.trim() ? requireSlug('input.slug', input.slug) : slugify(name);
    if (!slugPattern.test(slug))
      throw badInput('input.slug', 'Cannot derive a slug from this name; please provide one');
    const timeZone = input.timeZone ? requireTimeZone('input.timeZone', input.timeZone) : 'UTC';
    return auditedChange(this.#em, actor, {
      action: 'organization.create',
      mutate: async (em) => {
        await this.#requireFreeSlug(em, slug, null);
        const org = em.create(OrganizationEntity, { name, slug, timeZone, budgetFailOpen: !!input.budgetFailOpen });
        await writeCreated(em, limits, () => ({ orgId: org.id, scope: 'org', scopeId: org.id }));
        return org;
      },
      after: (_, org) => ({ ...Organization.from(org), ...createdView(limits) }),
      target: orgTarget,
    });
  }

  async update(
    actor: Principal,
    id: string,
    input: { name?: string | null; slug?: string | null; timeZone?: string | null; budgetFailOpen?: boolean | null },
  ): Promise<OrganizationRecord> {
    const name = input.name === undefined || input.name === null ? undefined : requireText('input.name', input.name);
    const slug = input.slug === undefined || input.slug === null ? undefined : requireSlug('input.slug', input.slug);
    const timeZone =
      input.timeZone === undefined || input.timeZone === null
        ? undefined
        : requireTimeZone('input.timeZone', input.timeZone);
    await this.require(id, 'id');
    return auditedChange(this.#em, actor, {
      action: 'organization.update',
      ...this.#locked(id),
      mutate: async (em, org) => {
        if (slug !== undefined && slug !== org.slug) {
          await this.#requireFreeSlug(em, slug, org.id);
          org.slug = slug;
        }
        if (name !== undefined) org.name = name;
        if (timeZone !== undefined) org.timeZone = timeZone;
        if (input.budgetFailOpen !== undefined && input.budgetFailOpen !== null)
          org.budgetFailOpen = input.budgetFailOpen;
        return org;
      },
    });
  }

  /** Suspending stops every key of the org on every data plane; reactivating lets them work again. */
  async setStatus(actor: Principal, id: string, status: EntityStatusValue): Promise<OrganizationRecord> {
    await this.require(id, 'id');
    return auditedChange(this.#em, actor, {
      action: `organization.${statusVerb[status]}`,
      ...this.#locked(id),
      mutate: async (_, org) => {
        org.status = status;
        return org;
      },
    });
  }

  /**
   * Soft delete: the org, its teams and users are marked deleted and its keys revoked, in one change; usage
   * history keeps naming them. Deleted orgs vanish from every list and from the snapshot.
   */
  async delete(actor: Principal, id: string): Promise<string> {
    await this.require(id, 'id');
    const now = new Date();
    return auditedChange(this.#em, actor, {
      action: 'organization.delete',
      ...this.#locked(id),
      mutate: async (em, org) => {
        org.deletedAt = now;
        const count = async (q: string) => (await em.execute<{ n: number }[]>(q, [now, id]))[0]?.n ?? 0;
        const cascade = {
          teams: await count(
            'with d as (update teams set deleted_at = ? where org_id = ? and deleted_at is null returning 1) select count(*)::int as n from d',
          ),
          users: await count(
            'with d as (update users set deleted_at = ? where org_id = ? and deleted_at is null returning 1) select count(*)::int as n from d',
          ),
          revokedKeys: await count(
            'with d as (update virtual_keys set revoked_at = ? where org_id = ? and revoked_at is null returning 1) select count(*)::int as n from d',
          ),
        };
        // Its admins' sessions and tokens stop with it (access/caller.ts); live connections close on every replica.
        await notifyCredentialChange(em);
        return { org, cascade };
      },
      after: (_, { cascade }) => ({ deletedAt: now, ...cascade }),
      target: ({ org }) => orgTarget(org),
    }).then(({ org }) => org.id);
  }

  /** Lock, before/after views and target of a change to one org. */
  #locked(id: string) {
    return {
      lock: (em: Em) => this.#lock(em, id),
      before: (_: Em, org: OrganizationRecord) => Organization.from(org),
      after: (_: Em, org: OrganizationRecord) => Organization.from(org),
      target: orgTarget,
    };
  }

  async #lock(em: Em, id: string): Promise<OrganizationRecord> {
    const org = await em.findOne(OrganizationEntity, { id, deletedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!org) throw notFound('id', `Organization ${id} does not exist`);
    return org;
  }

  async #requireFreeSlug(em: Em, slug: string, except: string | null): Promise<void> {
    const taken = await em.count(OrganizationEntity, except ? { slug, id: { $ne: except } } : { slug });
    if (taken) throw conflict('input.slug', `An organization with slug "${slug}" already exists`);
  }
}
