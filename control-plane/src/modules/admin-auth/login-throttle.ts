// Failed logins are counted in PostgreSQL per email and per client address over a sliding window, so every
// control-plane replica enforces the same limit; a success clears the email's count.
import type { Em } from '../../db/orm.ts';
import { tooManyRequests } from '../../errors.ts';

export const loginWindowSeconds = 15 * 60;
/** Failures allowed per email in the window: enough for typos, too few for guessing. */
export const maxFailuresPerEmail = 5;
/** Failures allowed per client address in the window: one office behind a NAT may share an address. */
export const maxFailuresPerRemote = 30;

const emailKey = (email: string) => email.trim().toLowerCase();

export class LoginThrottle {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /** TOO_MANY_REQUESTS (with retryAfterSeconds) once either limit is reached; checked before the password. */
  async check(email: string, remote: string | null): Promise<void> {
    const rows = await this.#em.execute<{ by_email: string; by_remote: string; oldest: Date | null }[]>(
      `select count(*) filter (where email_key = ?) as by_email,
              count(*) filter (where remote = ?) as by_remote,
              min(at) as oldest
         from login_failures
        where at > now() - make_interval(secs => ?) and (email_key = ? or remote = ?)`,
      [emailKey(email), remote, loginWindowSeconds, emailKey(email), remote],
    );
    const { by_email, by_remote, oldest } = rows[0];
    if (Number(by_email) < maxFailuresPerEmail && Number(by_remote) < maxFailuresPerRemote) return;
    const freesAt = (oldest ? new Date(oldest).getTime() : Date.now()) + loginWindowSeconds * 1000;
    const retryAfterSeconds = Math.max(1, Math.ceil((freesAt - Date.now()) / 1000));
    throw tooManyRequests(`Too many failed logins; try again in ${retryAfterSeconds} s`, retryAfterSeconds);
  }

  async failed(email: string, remote: string | null): Promise<void> {
    await this.#em.execute('insert into login_failures (email_key, remote) values (?, ?)', [emailKey(email), remote]);
    // Old rows are pruned here: failures are rare enough that no timer is needed.
    await this.#em.execute('delete from login_failures where at < now() - make_interval(secs => ?)', [
      loginWindowSeconds,
    ]);
  }

  async succeeded(email: string): Promise<void> {
    await this.#em.execute('delete from login_failures where email_key = ?', [emailKey(email)]);
  }
}
