// Per-org model availability: every model (the default) or an explicit list, set by platform admins. An org with a
// row in org_model_access may use only the models listed in org_allowed_models; data planes refuse the others.
import type { Principal } from '../../access/caller.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, notFound } from '../../errors.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { OrganizationService } from '../organizations/organization.service.ts';
import { ModelEntity } from './model.entity.ts';

export interface ModelAccessView {
  allModels: boolean;
  /** Names, sorted; null when allModels. */
  models: string[] | null;
}

async function accessOf(em: Em, orgId: string): Promise<ModelAccessView> {
  const rows = await em.execute<{ restricted: boolean; names: string[] }[]>(
    `select true as restricted,
            coalesce(array_agg(m.name order by m.name) filter (where m.name is not null), '{}') as names
       from org_model_access a
       left join org_allowed_models am on am.org_id = a.org_id
       left join models m on m.id = am.model_id
      where a.org_id = ?
      group by a.org_id`,
    [orgId],
  );
  return rows[0] ? { allModels: false, models: rows[0].names } : { allModels: true, models: null };
}

export class OrgModelAccessService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  async set(
    actor: Principal,
    input: { orgId: string; allModels: boolean; modelNames?: string[] | null },
  ): Promise<void> {
    const names = input.modelNames ?? null;
    if (input.allModels && names !== null) {
      throw badInput('input.modelNames', 'Leave modelNames out when allModels is true');
    }
    if (!input.allModels && names === null) {
      throw badInput('input.modelNames', 'modelNames is required when allModels is false (it may be empty)');
    }
    const seen = new Set<string>();
    for (const [i, name] of (names ?? []).entries()) {
      if (seen.has(name)) throw badInput(`input.modelNames.${i}`, `"${name}" is listed twice`);
      seen.add(name);
    }
    await new OrganizationService(this.#em).require(input.orgId, 'input.orgId');
    await auditedChange(this.#em, actor, {
      action: 'organization.setModelAccess',
      // Serialises concurrent changes to one org's availability (and fails if the org was just deleted).
      lock: (em) => em.execute('select id from organizations where id = ? for update', [input.orgId]),
      before: (em) => accessOf(em, input.orgId),
      mutate: async (em) => {
        const models = names?.length
          ? await em.find(ModelEntity, { name: { $in: names } }, { fields: ['id', 'name'] })
          : [];
        const idByName = new Map(models.map((m) => [m.name, m.id]));
        for (const [i, name] of (names ?? []).entries()) {
          if (!idByName.has(name)) throw notFound(`input.modelNames.${i}`, `Model "${name}" does not exist`);
        }
        await em.execute('delete from org_model_access where org_id = ?', [input.orgId]);
        if (!input.allModels) {
          await em.execute('insert into org_model_access (org_id) values (?)', [input.orgId]);
          if (idByName.size) {
            await em.execute(
              `insert into org_allowed_models (org_id, model_id)
               select ?, id::uuid from jsonb_array_elements_text(?::jsonb) as t(id)`,
              [input.orgId, JSON.stringify([...idByName.values()])],
            );
          }
        }
      },
      after: (em) => accessOf(em, input.orgId),
      target: () => ({ type: 'organization', id: input.orgId, orgId: input.orgId }),
    });
  }
}
