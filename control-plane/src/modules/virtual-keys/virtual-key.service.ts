// Virtual key rules: keys belong to an org (optionally a team/user of it); secrets are generated here and only hashed.
import { LockMode } from '@mikro-orm/core';
import { newVirtualKeySecret } from '../../crypto/tokens.ts';
import { inConfigChange } from '../../db/config-change.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, notFound } from '../../errors.ts';
import { isUuid, requireText } from '../../graphql/validate.ts';
import { OrganizationService } from '../organizations/organization.service.ts';
import { TeamEntity } from '../teams/team.entity.ts';
import { UserEntity } from '../users/user.entity.ts';
import { VirtualKeyEntity, type VirtualKeyRecord } from './virtual-key.entity.ts';

export interface CreateVirtualKey {
  orgId: string;
  teamId?: string | null;
  userId?: string | null;
  name: string;
  allowedModels?: string[] | null;
  expiresAt?: Date | null;
}

export class VirtualKeyService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** Returns the stored key and the secret; the secret exists nowhere else afterwards. */
  async create(input: CreateVirtualKey): Promise<{ key: VirtualKeyRecord; secret: string }> {
    const name = requireText('input.name', input.name);
    const allowedModels = this.#allowedModels(input.allowedModels);
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw badInput('input.expiresAt', 'expiresAt must be in the future');
    }
    await new OrganizationService(this.#em).require(input.orgId, 'input.orgId');
    const teamId = input.teamId || null;
    const userId = input.userId || null;
    if (
      teamId &&
      !(isUuid(teamId) && (await this.#em.count(TeamEntity, { id: teamId, orgId: input.orgId, deletedAt: null })))
    ) {
      throw badInput('input.teamId', `Team ${teamId} is not in this organization`);
    }
    if (
      userId &&
      !(isUuid(userId) && (await this.#em.count(UserEntity, { id: userId, orgId: input.orgId, deletedAt: null })))
    ) {
      throw badInput('input.userId', `User ${userId} is not in this organization`);
    }
    const { secret, hash, prefix } = newVirtualKeySecret();
    const key = await inConfigChange(this.#em, async (em) =>
      em.create(VirtualKeyEntity, {
        orgId: input.orgId,
        teamId,
        userId,
        name,
        prefix,
        keyHash: hash,
        allowedModels,
        expiresAt: input.expiresAt ?? null,
      }),
    );
    return { key, secret };
  }

  /** Idempotent: revoking a revoked key returns it unchanged (and changes no config). */
  async revoke(id: string): Promise<VirtualKeyRecord> {
    const existing = isUuid(id) ? await this.#em.findOne(VirtualKeyEntity, { id }) : null;
    if (!existing) throw notFound('id', `Virtual key ${id} does not exist`);
    if (existing.revokedAt) return existing;
    return inConfigChange(this.#em, async (em) => {
      const key = await em.findOneOrFail(VirtualKeyEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      key.revokedAt ??= new Date();
      return key;
    });
  }

  #allowedModels(models: string[] | null | undefined): string[] | null {
    if (models === null || models === undefined) return null;
    const cleaned = models.map((m) => m.trim());
    const bad = cleaned.findIndex((m) => m === '' || m.length > 256);
    if (bad >= 0) throw badInput(`input.allowedModels.${bad}`, 'model names must be 1-256 characters');
    return [...new Set(cleaned)];
  }
}
