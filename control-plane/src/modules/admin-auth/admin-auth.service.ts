// Admin authentication: password login into expiring sessions (stored hashed), logout, and first-admin seeding.
import { hashPassword, verifyPassword } from '../../crypto/password.ts';
import { newSessionToken } from '../../crypto/tokens.ts';
import type { Em } from '../../db/orm.ts';
import { unauthenticated } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { AdminSessionEntity, AdminUserEntity, type AdminUserRecord } from './admin-user.entity.ts';

export const sessionTtlMs = 12 * 60 * 60 * 1000;

/** Verified against when the email is unknown, so a wrong email costs as much time as a wrong password. */
let decoyHash: Promise<string> | undefined;

export class AdminAuthService {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  async login(email: string, password: string): Promise<{ token: string; admin: AdminUserRecord }> {
    const rows = await this.#em.execute<{ id: string }[]>('select id from admin_users where lower(email) = lower(?)', [
      email.trim(),
    ]);
    const admin = rows[0] ? await this.#em.findOne(AdminUserEntity, { id: rows[0].id }) : null;
    decoyHash ??= hashPassword('decoy password');
    const ok = await verifyPassword(password, admin?.passwordHash ?? (await decoyHash));
    if (!admin || !ok) throw unauthenticated('Invalid email or password');
    const { token, hash } = newSessionToken();
    this.#em.create(AdminSessionEntity, {
      adminId: admin.id,
      tokenHash: hash,
      expiresAt: new Date(Date.now() + sessionTtlMs),
    });
    // Expired sessions are pruned here: logins are rare enough, and no extra timer is needed.
    await this.#em.flush();
    await this.#em.execute('delete from admin_sessions where expires_at < now()');
    return { token, admin };
  }

  async logout(sessionHash: string): Promise<void> {
    await this.#em.execute('delete from admin_sessions where token_hash = ?', [sessionHash]);
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
