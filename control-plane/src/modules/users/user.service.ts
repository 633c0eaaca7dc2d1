// User rules: unique email per org (case-insensitive), team memberships only within the user's org.
import { randomUUID } from 'node:crypto';
import { inConfigChange } from '../../db/config-change.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict } from '../../errors.ts';
import { isUuid, optionalText, requireEmail } from '../../graphql/validate.ts';
import { OrganizationService } from '../organizations/organization.service.ts';
import { TeamEntity } from '../teams/team.entity.ts';
import { UserEntity, type UserRecord, UserTeamEntity } from './user.entity.ts';

export class UserService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  async create(input: { orgId: string; email: string; name?: string | null; teamIds?: string[] | null }) {
    const email = requireEmail('input.email', input.email);
    const name = optionalText('input.name', input.name);
    const teamIds = [...new Set(input.teamIds ?? [])];
    await new OrganizationService(this.#em).require(input.orgId, 'input.orgId');
    await this.#requireTeamsOfOrg(input.orgId, teamIds);
    return inConfigChange(this.#em, async (em): Promise<UserRecord> => {
      const rows = await em.execute(
        'select 1 from users where org_id = ? and lower(email) = lower(?) and deleted_at is null',
        [input.orgId, email],
      );
      if (rows.length) throw conflict('input.email', `A user with email ${email} already exists in this organization`);
      // The id is assigned here, not at flush, because the memberships below need it; and the user row is
      // flushed first because the entities declare no relations, so the ORM cannot order the inserts itself.
      const user = em.create(UserEntity, { id: randomUUID(), orgId: input.orgId, email, name });
      await em.flush();
      for (const teamId of teamIds) em.create(UserTeamEntity, { userId: user.id, teamId });
      return user;
    });
  }

  async #requireTeamsOfOrg(orgId: string, teamIds: string[]): Promise<void> {
    if (!teamIds.length) return;
    const malformed = teamIds.find((id) => !isUuid(id));
    const found = malformed
      ? []
      : await this.#em.find(TeamEntity, { id: { $in: teamIds }, orgId, deletedAt: null }, { fields: ['id'] });
    const known = new Set(found.map((t) => t.id));
    const missing = teamIds.filter((id) => !known.has(id));
    if (missing.length) throw badInput('input.teamIds', `Teams not in this organization: ${missing.join(', ')}`);
  }
}
