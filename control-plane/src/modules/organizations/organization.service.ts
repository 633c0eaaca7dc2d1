// Organization rules: unique slugs, lookups that hide soft-deleted rows.
import { inConfigChange } from '../../db/config-change.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import { isUuid, requireText } from '../../graphql/validate.ts';
import { OrganizationEntity, type OrganizationRecord } from './organization.entity.ts';

const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

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

export class OrganizationService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  list(): Promise<OrganizationRecord[]> {
    return this.#em.find(OrganizationEntity, { deletedAt: null }, { orderBy: { createdAt: 'asc', id: 'asc' } });
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

  async create(input: { name: string; slug?: string | null }): Promise<OrganizationRecord> {
    const name = requireText('input.name', input.name);
    const slug = input.slug?.trim() ? input.slug.trim() : slugify(name);
    if (!slugPattern.test(slug)) {
      throw badInput(
        'input.slug',
        input.slug?.trim()
          ? 'slug must be 1-63 lowercase letters, digits or dashes, starting and ending with a letter or digit'
          : 'Cannot derive a slug from this name; please provide one',
      );
    }
    return inConfigChange(this.#em, async (em) => {
      if (await em.count(OrganizationEntity, { slug })) {
        throw conflict('input.slug', `An organization with slug "${slug}" already exists`);
      }
      return em.create(OrganizationEntity, { name, slug });
    });
  }
}
