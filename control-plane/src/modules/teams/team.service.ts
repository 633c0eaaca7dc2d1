// Team rules: a team lives in an existing org and its name is unique there (case-insensitive).
import { inConfigChange } from '../../db/config-change.ts';
import type { Em } from '../../db/orm.ts';
import { conflict } from '../../errors.ts';
import { requireText } from '../../graphql/validate.ts';
import { OrganizationService } from '../organizations/organization.service.ts';
import { TeamEntity, type TeamRecord } from './team.entity.ts';

export class TeamService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  async create(input: { orgId: string; name: string }): Promise<TeamRecord> {
    const name = requireText('input.name', input.name);
    await new OrganizationService(this.#em).require(input.orgId, 'input.orgId');
    return inConfigChange(this.#em, async (em) => {
      const rows = await em.execute(
        'select 1 from teams where org_id = ? and lower(name) = lower(?) and deleted_at is null',
        [input.orgId, name],
      );
      if (rows.length) throw conflict('input.name', `A team named "${name}" already exists in this organization`);
      return em.create(TeamEntity, { orgId: input.orgId, name });
    });
  }
}
