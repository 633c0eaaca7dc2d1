// Integrator API tokens: created with a role and a scope (one org, or the platform), shown once, revocable.
import type { Principal } from '../../access/caller.ts';
import { notifyCredentialChange } from '../../access/live-credentials.ts';
import type { Role } from '../../access/roles.ts';
import { newApiToken } from '../../crypto/tokens.ts';
import type { Em } from '../../db/orm.ts';
import { badInput } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { byCreation, listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { isUuid, requireText } from '../../graphql/validate.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { OrganizationService } from '../organizations/organization.service.ts';
import { ApiTokenEntity, type ApiTokenRecord } from './api-token.entity.ts';
import { ApiToken, type ApiTokenFilter } from './api-token.type.ts';

function snapshotOf(t: ApiTokenRecord) {
  return {
    name: t.name,
    prefix: t.prefix,
    role: t.role,
    orgId: t.orgId ?? null,
    expiresAt: t.expiresAt ?? null,
    revokedAt: t.revokedAt ?? null,
  };
}

const tokenTarget = (t: ApiTokenRecord) => ({ type: 'apiToken', id: t.id, orgId: t.orgId ?? null });

export class ApiTokenService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** `orgId` undefined = every token (platform); null = platform-scoped tokens; a string = that org's. */
  list(
    orgId: string | null | undefined,
    filter: ApiTokenFilter | null,
    page: PageArgs,
  ): Promise<ConnectionShape<ApiToken>> {
    const where: Sql[] = [];
    if (orgId === null) where.push(sql('t.org_id is null'));
    else if (orgId !== undefined) where.push(sql('t.org_id = ?', orgId));
    if (!filter?.includeInactive) {
      where.push(sql('t.revoked_at is null and (t.expires_at is null or t.expires_at > ?)', new Date()));
    }
    const src = { from: 'api_tokens t', columns: 't.*', keys: byCreation('t.created_at', 't.id'), where };
    return listPage(this.#em, src, page, (row: object) => ApiToken.from(this.#em.map(ApiTokenEntity, row as never)));
  }

  find(id: string): Promise<ApiTokenRecord | null> {
    return isUuid(id) ? this.#em.findOne(ApiTokenEntity, { id }) : Promise.resolve(null);
  }

  /**
   * `holder.adminId` is the admin the new token rests on (the caller's own holder); `holder.notAfter`, when the
   * caller is a token that expires, is the latest expiry the new token may have: a token cannot outlive its minter.
   */
  async create(
    actor: Principal,
    input: { name: string; role: Role; orgId?: string | null; expiresAt?: Date | null },
    holder: { adminId: string | null; notAfter: Date | null },
  ): Promise<{ record: ApiTokenRecord; token: string }> {
    const name = requireText('input.name', input.name);
    const orgId = input.orgId || null;
    if (input.role === 'platform_admin' && orgId)
      throw badInput('input.orgId', 'A platform token belongs to no organization');
    if (input.role !== 'platform_admin' && !orgId) throw badInput('input.orgId', 'An org role needs an organization');
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw badInput('input.expiresAt', 'expiresAt must be in the future');
    }
    const { notAfter } = holder;
    if (notAfter && (!input.expiresAt || input.expiresAt.getTime() > notAfter.getTime())) {
      throw badInput(
        'input.expiresAt',
        `A token that expires may only create tokens that expire too, by ${notAfter.toISOString()} at the latest`,
      );
    }
    if (orgId) await new OrganizationService(this.#em).require(orgId, 'input.orgId');
    const { token, hash, prefix } = newApiToken();
    const record = await auditedChange(this.#em, actor, {
      action: 'apiToken.create',
      mutate: async (em) =>
        em.create(ApiTokenEntity, {
          name,
          prefix,
          tokenHash: hash,
          role: input.role,
          orgId,
          createdBy: actor.label,
          holderAdminId: holder.adminId,
          expiresAt: input.expiresAt ?? null,
        }),
      after: (_, t) => snapshotOf(t),
      target: tokenTarget,
    });
    return { record, token };
  }

  /** Idempotent: revoking a revoked token returns it unchanged (and writes no audit event). */
  async revoke(actor: Principal, t: ApiTokenRecord): Promise<ApiTokenRecord> {
    if (t.revokedAt) return t;
    return this.#revoke(this.#em, actor, t, true);
  }

  /** Every live token resting on this admin, in the caller's transaction (the admin is being deleted). */
  async revokeHeldBy(actor: Principal, adminId: string): Promise<void> {
    const held = await this.#em.find(ApiTokenEntity, { holderAdminId: adminId, revokedAt: null });
    for (const t of held) await this.#revoke(this.#em, actor, t, false);
  }

  /** In the caller's transaction when there is one (a savepoint then). */
  #revoke(em: Em, actor: Principal, t: ApiTokenRecord, notify: boolean): Promise<ApiTokenRecord> {
    return auditedChange(em, actor, {
      action: 'apiToken.revoke',
      before: () => snapshotOf(t),
      mutate: async (tem) => {
        t.revokedAt = new Date();
        tem.persist(t);
        // Live connections opened with the token close on every replica once this commits.
        if (notify) await notifyCredentialChange(tem);
        return t;
      },
      after: () => snapshotOf(t),
      target: tokenTarget,
    });
  }
}
