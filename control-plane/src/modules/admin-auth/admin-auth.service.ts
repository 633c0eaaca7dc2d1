// Admin authentication: password login into expiring sessions (stored hashed), logout, and first-admin seeding.

import type { Principal } from '../../access/caller.ts';
import { notifyCredentialChange } from '../../access/live-credentials.ts';
import { hashPassword, verifyPassword } from '../../crypto/password.ts';
import { newSessionToken } from '../../crypto/tokens.ts';
import type { Em } from '../../db/orm.ts';
import { unauthenticated } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { auditedChange } from '../audit/audited-change.ts';
import { AdminSessionEntity, AdminUserEntity, type AdminUserRecord } from './admin-user.entity.ts';
import { LoginThrottle } from './login-throttle.ts';

export const sessionTtlMs = 12 * 60 * 60 * 1000;

/** Verified against when the email is unknown, so a wrong email costs as much time as a wrong password. */
let decoyHash: Promise<string> | undefined;

export class AdminAuthService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /**
   * A session for an enabled admin with the right password. Throttled per email and client address; wrong
   * email, wrong password and disabled admin all give the same answer, in the same time.
   */
  async login(
    email: string,
    password: string,
    remote: string | null,
  ): Promise<{ token: string; admin: AdminUserRecord }> {
    const throttle = new LoginThrottle(this.#em);
    // Counted as a failure until the password proves right: the check and the record are one step.
    await throttle.reserve(email, remote);
    const rows = await this.#em.execute<{ id: string }[]>(
      `select a.id from admin_users a left join organizations o on o.id = a.org_id
        where lower(a.email) = lower(?) and a.disabled_at is null and o.deleted_at is null`,
      [email.trim()],
    );
    const admin = rows[0] ? await this.#em.findOne(AdminUserEntity, { id: rows[0].id }) : null;
    decoyHash ??= hashPassword('decoy password');
    const ok = await verifyPassword(password, admin?.passwordHash ?? (await decoyHash));
    if (!admin || !ok) throw unauthenticated('Invalid email or password');
    await throttle.succeeded(email);
    const { token, hash } = newSessionToken();
    await auditedChange(
      this.#em,
      { kind: 'admin_user', id: admin.id, label: admin.email },
      {
        action: 'session.login',
        mutate: async (em) =>
          em.create(AdminSessionEntity, {
            adminId: admin.id,
            tokenHash: hash,
            expiresAt: new Date(Date.now() + sessionTtlMs),
          }),
        target: () => ({ type: 'adminUser', id: admin.id, orgId: admin.orgId ?? null }),
      },
    );
    // Expired sessions are pruned here: logins are rare enough, and no extra timer is needed.
    await this.#em.execute('delete from admin_sessions where expires_at < now()');
    return { token, admin };
  }

  async logout(actor: Principal, sessionHash: string, orgId: string | null): Promise<void> {
    await auditedChange(this.#em, actor, {
      action: 'session.logout',
      mutate: async (em) => {
        await em.execute('delete from admin_sessions where token_hash = ?', [sessionHash]);
        // Live connections opened with this session close on every replica once this commits.
        await notifyCredentialChange(em);
      },
      target: () => ({ type: 'adminUser', id: actor.id, orgId }),
    });
  }

  findAdmin(id: string): Promise<AdminUserRecord | null> {
    return this.#em.findOne(AdminUserEntity, { id });
  }

  /** Creates the platform admin from SEED_ADMIN_* only when no admin exists yet (safe on every start). */
  async seedFirstAdmin(seed: { email: string; password: string }, logger: Logger): Promise<void> {
    await this.#em.transactional(async (em) => {
      // Serialises concurrent replicas starting at once, so exactly one seeds.
      await em.execute('select pg_advisory_xact_lock(?)', [4_157_311]);
      if (await em.count(AdminUserEntity, {})) return;
      em.create(AdminUserEntity, { email: seed.email.trim(), passwordHash: await hashPassword(seed.password) });
      logger.info({ email: seed.email }, 'seeded the first platform admin');
    });
  }
}
