// Admin users: who may run the gateway. Platform admins manage everyone; an org admin manages the admins and
// viewers of their own org. Nobody can lock themselves out, and the last platform admin cannot go.
import type { Principal } from '../../access/caller.ts';
import { notifyCredentialChange } from '../../access/live-credentials.ts';
import type { Role } from '../../access/roles.ts';
import { hashPassword } from '../../crypto/password.ts';
import type { Em } from '../../db/orm.ts';
import { badInput, conflict, forbidden } from '../../errors.ts';
import type { ConnectionShape, PageArgs } from '../../graphql/connection.ts';
import { textLimits } from '../../graphql/input-limits.ts';
import { byCreation, containsPattern, listPage, type Sql, sql } from '../../graphql/sql-list.ts';
import { isUuid, optionalText, requireEmail } from '../../graphql/validate.ts';
import { AdminUserEntity, type AdminUserRecord } from '../admin-auth/admin-user.entity.ts';
import { AdminUser } from '../admin-auth/admin-user.type.ts';
import { ApiTokenService } from '../api-tokens/api-token.service.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { OrganizationService } from '../organizations/organization.service.ts';
import type { AdminUserFilter } from './admin-user.input.ts';

export const minPasswordLength = 12;

function requirePassword(field: string, password: string): string {
  if (password.length < minPasswordLength)
    throw badInput(field, `password must be at least ${minPasswordLength} characters`);
  if (password.length > textLimits.password) {
    throw badInput(field, `password must be at most ${textLimits.password} characters`);
  }
  return password;
}

/** What the audit log keeps of an admin user (never the password hash). */
function snapshotOf(a: AdminUserRecord) {
  return {
    email: a.email,
    name: a.name ?? null,
    role: a.role,
    orgId: a.orgId ?? null,
    disabled: Boolean(a.disabledAt),
  };
}

const adminTarget = (a: AdminUserRecord) => ({ type: 'adminUser', id: a.id, orgId: a.orgId ?? null });

export class AdminUserService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** `orgId` undefined = every admin (platform); else that org's admins. */
  list(orgId: string | undefined, filter: AdminUserFilter | null, page: PageArgs): Promise<ConnectionShape<AdminUser>> {
    const where: Sql[] = [];
    if (orgId !== undefined) where.push(sql('a.org_id = ?', orgId));
    if (filter?.role) where.push(sql('a.role = ?', filter.role));
    if (!filter?.includeDisabled) where.push(sql('a.disabled_at is null'));
    if (filter?.search?.trim()) {
      const like = containsPattern(filter.search.trim());
      where.push(sql('a.email ilike ? or a.name ilike ?', like, like));
    }
    const src = { from: 'admin_users a', columns: 'a.*', keys: byCreation('a.created_at', 'a.id'), where };
    return listPage(this.#em, src, page, (row: object) => AdminUser.from(this.#em.map(AdminUserEntity, row as never)));
  }

  async find(id: string): Promise<AdminUserRecord | null> {
    return isUuid(id) ? this.#em.findOne(AdminUserEntity, { id }) : null;
  }

  async create(
    actor: Principal,
    input: {
      email: string;
      name?: string | null;
      password: string;
      role: Role;
      orgId?: string | null;
    },
  ): Promise<AdminUserRecord> {
    const email = requireEmail('input.email', input.email);
    const name = optionalText('input.name', input.name);
    const password = requirePassword('input.password', input.password);
    const orgId = input.orgId || null;
    if (input.role === 'platform_admin' && orgId)
      throw badInput('input.orgId', 'A platform admin belongs to no organization');
    if (input.role !== 'platform_admin' && !orgId) throw badInput('input.orgId', 'An org role needs an organization');
    if (orgId) await new OrganizationService(this.#em).require(orgId, 'input.orgId');
    const passwordHash = await hashPassword(password);
    return auditedChange(this.#em, actor, {
      action: 'adminUser.create',
      mutate: async (em) => {
        const taken = await em.execute('select 1 from admin_users where lower(email) = lower(?)', [email]);
        if (taken.length) throw conflict('input.email', `An admin with email ${email} already exists`);
        return em.create(AdminUserEntity, { email, name, passwordHash, role: input.role, orgId });
      },
      after: (_, admin) => snapshotOf(admin),
      target: adminTarget,
    });
  }

  async update(
    actor: Principal,
    admin: AdminUserRecord,
    input: { name?: string | null; role?: Role | null; disabled?: boolean | null; password?: string | null },
  ): Promise<AdminUserRecord> {
    const self = actor.kind === 'admin_user' && actor.id === admin.id;
    if (input.role && input.role !== admin.role) {
      if (self) throw forbidden('You cannot change your own role');
      if ((input.role === 'platform_admin') !== (admin.role === 'platform_admin')) {
        throw badInput('input.role', 'A platform admin stays a platform admin, an org role stays an org role');
      }
    }
    if (input.disabled && self) throw forbidden('You cannot disable yourself');
    const password = input.password ? requirePassword('input.password', input.password) : null;
    const passwordHash = password ? await hashPassword(password) : null;
    return auditedChange(this.#em, actor, {
      action: 'adminUser.update',
      before: () => snapshotOf(admin),
      mutate: async (em) => {
        if (input.name !== undefined) admin.name = optionalText('input.name', input.name);
        if (input.role) admin.role = input.role;
        if (input.disabled !== undefined && input.disabled !== null) {
          if (input.disabled && !admin.disabledAt) await this.#keepOnePlatformAdmin(em, admin);
          admin.disabledAt = input.disabled ? (admin.disabledAt ?? new Date()) : null;
        }
        if (passwordHash) admin.passwordHash = passwordHash;
        em.persist(admin);
        await em.flush();
        // A disabled admin, a new role or a new password: existing sessions must not outlive the change. The
        // admin's API tokens are refused while disabled and capped at the new role (access/caller.ts), and live
        // connections resting on the admin are checked again on every replica once this commits.
        if (admin.disabledAt || input.role || passwordHash) {
          await em.execute('delete from admin_sessions where admin_id = ?', [admin.id]);
          await notifyCredentialChange(em);
        }
        return admin;
      },
      after: () => ({ ...snapshotOf(admin), passwordChanged: Boolean(passwordHash) }),
      target: adminTarget,
    });
  }

  async delete(actor: Principal, admin: AdminUserRecord): Promise<void> {
    if (actor.kind === 'admin_user' && actor.id === admin.id) throw forbidden('You cannot delete yourself');
    await auditedChange(this.#em, actor, {
      action: 'adminUser.delete',
      before: () => snapshotOf(admin),
      mutate: async (em) => {
        await this.#keepOnePlatformAdmin(em, admin);
        // Tokens do not outlive their admin (nor do tokens minted by those tokens: they rest on the same admin).
        await new ApiTokenService(em).revokeHeldBy(actor, admin.id);
        await em.execute('delete from admin_users where id = ?', [admin.id]);
        await notifyCredentialChange(em);
      },
      target: () => adminTarget(admin),
    });
  }

  /** Sets the calling admin's own password after checking the current one. */
  async changeOwnPassword(actor: Principal, admin: AdminUserRecord, newPassword: string): Promise<void> {
    const passwordHash = await hashPassword(requirePassword('newPassword', newPassword));
    await auditedChange(this.#em, actor, {
      action: 'adminUser.changePassword',
      mutate: async (em) => {
        admin.passwordHash = passwordHash;
        em.persist(admin);
      },
      target: () => adminTarget(admin),
    });
  }

  /** Refuses to disable or delete the last enabled platform admin (locked rows, so two admins cannot race). */
  async #keepOnePlatformAdmin(em: Em, admin: AdminUserRecord): Promise<void> {
    if (admin.role !== 'platform_admin' || admin.disabledAt) return;
    const rows = await em.execute<{ id: string }[]>(
      "select id from admin_users where role = 'platform_admin' and disabled_at is null for update",
    );
    if (rows.length <= 1) throw conflict(undefined, 'The last platform admin cannot be disabled or deleted');
  }
}
