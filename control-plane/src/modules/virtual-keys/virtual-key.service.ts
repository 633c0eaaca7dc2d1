// Virtual key rules: exactly one owner (a user or a team) inside one org, optional module binding, alias, metadata,
// allow-list and expiry; revocation and rotation with a grace period. Secrets are generated here and only hashed.
import { LockMode } from '@mikro-orm/core';
import type { Principal } from '../../access/caller.ts';
import { newVirtualKeySecret } from '../../crypto/tokens.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, notFound } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { type ListSource, listPage, sql } from '../../graphql/sql-list.ts';
import { isUuid, requireText } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { type CreatedLimits, createdView, writeCreated } from '../limits/created-limits.ts';
import { OrganizationService, slugPattern, slugRule } from '../organizations/organization.service.ts';
import { OrgModuleService } from '../product-modules/org-module.service.ts';
import { TeamEntity } from '../teams/team.entity.ts';
import { UserEntity, UserTeamEntity } from '../users/user.entity.ts';
import { requireModelNames } from './model-names.ts';
import { VirtualKeyEntity, type VirtualKeyRecord } from './virtual-key.entity.ts';
import type { VirtualKeyFilter } from './virtual-key.input.ts';
import { keyColumns, keyConditions, keyNode } from './virtual-key.list.ts';
import { VirtualKey } from './virtual-key.type.ts';

export interface CreateVirtualKey {
  orgId: string;
  userId?: string | null;
  teamId?: string | null;
  moduleId?: string | null;
  name: string;
  alias?: string | null;
  metadata?: unknown;
  allowedModels?: string[] | null;
  expiresAt?: Date | null;
}

/** Fields of UpdateVirtualKeyInput: undefined = unchanged, null = cleared. */
export interface UpdateVirtualKey {
  name?: string | null;
  alias?: string | null;
  metadata?: unknown;
  allowedModels?: string[] | null;
  expiresAt?: Date | null;
  moduleId?: string | null;
  teamId?: string | null;
}

export const maxMetadataBytes = 4096;
/** Longest grace period a rotation may give the replaced secret. */
export const maxGraceMs = 30 * 24 * 3600 * 1000;

function requireAlias(field: string, value: string): string {
  const alias = value.trim();
  if (!slugPattern.test(alias)) throw badInput(field, `alias must be ${slugRule}`);
  return alias;
}

function requireMetadata(field: string, value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw badInput(field, 'metadata must be a JSON object');
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > maxMetadataBytes) {
    throw badInput(field, `metadata must be at most ${maxMetadataBytes} bytes of JSON (this is ${bytes})`);
  }
  return value as Record<string, unknown>;
}

function requireFuture(field: string, value: Date): Date {
  if (value.getTime() <= Date.now()) throw badInput(field, `${field.split('.').pop()} must be in the future`);
  return value;
}

const keyTarget = (key: VirtualKeyRecord) => ({ type: 'virtualKey', id: key.id, orgId: key.orgId });

export class VirtualKeyService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** `orgId` null = every org (platform admins). */
  list(orgId: string | null, filter: VirtualKeyFilter | null, page: PageArgs): Promise<ConnectionShape<VirtualKey>> {
    const where = keyConditions(filter);
    if (orgId) where.unshift(sql('k.org_id = ?', orgId));
    const src: ListSource = { from: 'virtual_keys k', ...keyColumns, where };
    return listPage(this.#em, src, page, keyNode(this.#em));
  }

  /** A key of an org that is not deleted (revoked keys included). */
  async find(id: string): Promise<VirtualKeyRecord | null> {
    if (!isUuid(id)) return null;
    const key = await this.#em.findOne(VirtualKeyEntity, { id });
    if (!key) return null;
    const live = await this.#em.execute('select 1 from organizations where id = ? and deleted_at is null', [key.orgId]);
    return live.length ? key : null;
  }

  /** Returns the stored key and the secret; the secret exists nowhere else afterwards. */
  async create(
    actor: Principal,
    input: CreateVirtualKey,
    limits: CreatedLimits | null = null,
  ): Promise<{ key: VirtualKeyRecord; secret: string }> {
    const name = requireText('input.name', input.name);
    const alias = input.alias?.trim() ? requireAlias('input.alias', input.alias) : null;
    const metadata = requireMetadata('input.metadata', input.metadata);
    const expiresAt = input.expiresAt ? requireFuture('input.expiresAt', input.expiresAt) : null;
    const allowedModels = await requireModelNames(this.#em, 'input.allowedModels', input.allowedModels);
    await new OrganizationService(this.#em).require(input.orgId, 'input.orgId');
    const userId = input.userId || null;
    const teamId = input.teamId || null;
    if (!userId && !teamId) {
      throw badInput('input.userId', 'A key is owned by a user (userId) or a team (teamId); give one of them');
    }
    if (userId) await this.#requireUser(input.orgId, userId);
    if (teamId) await (userId ? this.#requireTeamOfUser(userId, teamId) : this.#requireTeam(input.orgId, teamId));
    const moduleId = input.moduleId || null;
    if (moduleId) await this.#requireEnabledModule(input.orgId, moduleId);

    const { secret, hash, prefix } = newVirtualKeySecret();
    const key = await auditedChange(this.#em, actor, {
      action: 'virtualKey.create',
      mutate: async (em) => {
        if (alias) await this.#requireFreeAlias(em, input.orgId, alias, null);
        const created = em.create(VirtualKeyEntity, {
          orgId: input.orgId,
          userId,
          teamId,
          moduleId,
          name,
          alias,
          metadata,
          prefix,
          keyHash: hash,
          allowedModels,
          expiresAt,
        });
        await writeCreated(em, limits, () => ({ orgId: created.orgId, scope: 'key', scopeId: created.id }));
        return created;
      },
      after: (_, created) => ({ ...VirtualKey.from(created), ...createdView(limits) }),
      target: keyTarget,
    });
    return { key, secret };
  }

  async update(actor: Principal, key: VirtualKeyRecord, input: UpdateVirtualKey): Promise<VirtualKeyRecord> {
    if (key.revokedAt) throw conflict('id', 'A revoked key cannot be changed');
    if (input.name === null) throw badInput('input.name', 'name cannot be cleared');
    const name = input.name === undefined ? undefined : requireText('input.name', input.name);
    const alias =
      input.alias === undefined ? undefined : input.alias?.trim() ? requireAlias('input.alias', input.alias) : null;
    const metadata = input.metadata === undefined ? undefined : requireMetadata('input.metadata', input.metadata);
    const allowedModels =
      input.allowedModels === undefined
        ? undefined
        : await requireModelNames(this.#em, 'input.allowedModels', input.allowedModels);
    const expiresAt =
      input.expiresAt === undefined
        ? undefined
        : input.expiresAt === null
          ? null
          : requireFuture('input.expiresAt', input.expiresAt);
    const moduleId = input.moduleId === undefined ? undefined : input.moduleId || null;
    if (moduleId) await this.#requireEnabledModule(key.orgId, moduleId);
    const teamId = input.teamId === undefined ? undefined : input.teamId || null;
    if (teamId !== undefined) {
      if (!key.userId) throw badInput('input.teamId', 'The owning team of a team-owned key cannot be changed');
      if (teamId) await this.#requireTeamOfUser(key.userId, teamId);
    }
    return auditedChange(this.#em, actor, {
      action: 'virtualKey.update',
      ...this.#locked(key.id),
      mutate: async (em, locked) => {
        if (locked.revokedAt) throw conflict('id', 'A revoked key cannot be changed');
        if (alias !== undefined && alias !== locked.alias) {
          if (alias) await this.#requireFreeAlias(em, locked.orgId, alias, locked.id);
          locked.alias = alias;
        }
        if (name !== undefined) locked.name = name;
        if (metadata !== undefined) locked.metadata = metadata;
        if (allowedModels !== undefined) locked.allowedModels = allowedModels;
        if (expiresAt !== undefined) locked.expiresAt = expiresAt;
        if (moduleId !== undefined) locked.moduleId = moduleId;
        if (teamId !== undefined) locked.teamId = teamId;
        return locked;
      },
    });
  }

  /** Idempotent: revoking a revoked key returns it unchanged (and changes no config; the call is still audited). */
  async revoke(actor: Principal, key: VirtualKeyRecord): Promise<VirtualKeyRecord> {
    return auditedChange(this.#em, actor, {
      action: 'virtualKey.revoke',
      ...this.#locked(key.id),
      mutate: async (_, locked) => {
        locked.revokedAt ??= new Date();
        return locked;
      },
    });
  }

  /**
   * A new secret for the key (same id, owner, limits and usage history). The replaced secret keeps working until
   * `previousValidUntil` (at most 30 days ahead), or stops at once when it is null. A second rotation replaces the
   * grace of the first: only one earlier secret is ever accepted.
   */
  async rotate(
    actor: Principal,
    key: VirtualKeyRecord,
    previousValidUntil: Date | null,
  ): Promise<{ key: VirtualKeyRecord; secret: string }> {
    if (key.revokedAt) throw conflict('id', 'A revoked key cannot be rotated');
    if (previousValidUntil) {
      requireFuture('previousSecretValidUntil', previousValidUntil);
      if (previousValidUntil.getTime() > Date.now() + maxGraceMs) {
        throw badInput('previousSecretValidUntil', 'previousSecretValidUntil must be at most 30 days ahead');
      }
    }
    const { secret, hash, prefix } = newVirtualKeySecret();
    const rotated = await auditedChange(this.#em, actor, {
      action: 'virtualKey.rotate',
      ...this.#locked(key.id),
      mutate: async (_, locked) => {
        if (locked.revokedAt) throw conflict('id', 'A revoked key cannot be rotated');
        locked.previousKeyHash = previousValidUntil ? locked.keyHash : null;
        locked.previousPrefix = previousValidUntil ? locked.prefix : null;
        locked.previousExpiresAt = previousValidUntil;
        locked.keyHash = hash;
        locked.prefix = prefix;
        locked.rotatedAt = new Date();
        return locked;
      },
    });
    return { key: rotated, secret };
  }

  /** Lock, before/after views and target of a change to one key. */
  #locked(id: string) {
    return {
      lock: (em: Em) => this.#lock(em, id),
      before: (_: Em, key: VirtualKeyRecord) => VirtualKey.from(key),
      after: (_: Em, key: VirtualKeyRecord) => VirtualKey.from(key),
      target: keyTarget,
    };
  }

  async #lock(em: Em, id: string): Promise<VirtualKeyRecord> {
    const key = await em.findOne(VirtualKeyEntity, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!key) throw notFound('id', `Virtual key ${id} does not exist`);
    return key;
  }

  async #requireUser(orgId: string, userId: string): Promise<void> {
    const found = isUuid(userId) && (await this.#em.count(UserEntity, { id: userId, orgId, deletedAt: null }));
    if (!found) throw badInput('input.userId', `User ${userId} is not in this organization`);
  }

  async #requireTeam(orgId: string, teamId: string): Promise<void> {
    const found = isUuid(teamId) && (await this.#em.count(TeamEntity, { id: teamId, orgId, deletedAt: null }));
    if (!found) throw badInput('input.teamId', `Team ${teamId} is not in this organization`);
  }

  /** The attribution team of a user-owned key must be one of the user's (live) teams. */
  async #requireTeamOfUser(userId: string, teamId: string): Promise<void> {
    const member =
      isUuid(teamId) &&
      (await this.#em.count(UserTeamEntity, { userId, teamId })) > 0 &&
      (await this.#em.count(TeamEntity, { id: teamId, deletedAt: null })) > 0;
    if (!member) throw badInput('input.teamId', `Team ${teamId} is not one of the user's teams`);
  }

  async #requireEnabledModule(orgId: string, moduleId: string): Promise<void> {
    if (!(await new OrgModuleService(this.#em).find(orgId, moduleId))) {
      throw badInput('input.moduleId', `Module ${moduleId} is not enabled for this organization`);
    }
  }

  async #requireFreeAlias(em: Em, orgId: string, alias: string, except: string | null): Promise<void> {
    const rows = await em.execute(
      `select 1 from virtual_keys where org_id = ? and alias = ? and revoked_at is null${except ? ' and id <> ?' : ''}`,
      except ? [orgId, alias, except] : [orgId, alias],
    );
    if (rows.length) throw conflict('input.alias', `Another key of this organization has the alias "${alias}"`);
  }
}
