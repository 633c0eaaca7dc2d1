// Failed logins are counted in PostgreSQL per email and per client address over a sliding window, so every
// control-plane replica enforces the same limit; a success clears the email's count.
import type { Em } from '../../db/orm.ts';
import { tooManyRequests } from '../../errors.ts';

export const loginWindowSeconds = 15 * 60;
/** Failures allowed per email in the window: enough for typos, too few for guessing. */
export const maxFailuresPerEmail = 5;
/** Failures allowed per client address in the window: one office behind a NAT may share an address. */
export const maxFailuresPerRemote = 30;

/** Advisory-lock classes (the two-key form): one per counter, so an email and an address never share a lock. */
const lockClass = { email: 4_157_312, remote: 4_157_313 } as const;

const emailKey = (email: string) => email.trim().toLowerCase();

export class LoginThrottle {
  readonly #em: Em;

  constructor(em: Em) {
    this.#em = em;
  }

  /**
   * Records this attempt as a failure before the password is checked, or throws TOO_MANY_REQUESTS (with
   * retryAfterSeconds) once either limit is reached. Check and record are one step under a transaction-scoped
   * advisory lock per email and per address, so attempts that arrive together, on any replica, are counted one
   * after the other: no more passwords are ever checked than the limits allow. `succeeded` takes the record back.
   */
  async reserve(email: string, remote: string | null): Promise<void> {
    const key = emailKey(email);
    const rows = await this.#em.transactional(async (em) => {
      // Always email first, then address: two attempts can never wait for each other's lock in a cycle.
      await em.execute('select pg_advisory_xact_lock(?, hashtext(?))', [lockClass.email, key]);
      if (remote !== null) await em.execute('select pg_advisory_xact_lock(?, hashtext(?))', [lockClass.remote, remote]);
      // A new statement after the locks: its snapshot sees every attempt committed by earlier holders.
      return em.execute<{ by_email: string; by_remote: string; oldest: Date | null; reserved: boolean }[]>(
        `with recent as (
           select count(*) filter (where email_key = ?) as by_email,
                  count(*) filter (where remote = ?) as by_remote,
                  min(at) as oldest
             from login_failures
            where at > now() - make_interval(secs => ?) and (email_key = ? or remote = ?)),
         reserved as (
           insert into login_failures (email_key, remote)
           select ?, ? from recent where by_email < ? and by_remote < ?
           returning 1)
         select recent.*, exists (select 1 from reserved) as reserved from recent`,
        [key, remote, loginWindowSeconds, key, remote, key, remote, maxFailuresPerEmail, maxFailuresPerRemote],
      );
    });
    const { oldest, reserved } = rows[0];
    if (reserved) {
      // Old rows are pruned here: logins are rare enough that no timer is needed.
      await this.#em.execute('delete from login_failures where at < now() - make_interval(secs => ?)', [
        loginWindowSeconds,
      ]);
      return;
    }
    const freesAt = (oldest ? new Date(oldest).getTime() : Date.now()) + loginWindowSeconds * 1000;
    const retryAfterSeconds = Math.max(1, Math.ceil((freesAt - Date.now()) / 1000));
    throw tooManyRequests(`Too many failed logins; try again in ${retryAfterSeconds} s`, retryAfterSeconds);
  }

  /** The right password: the email's count (this attempt's reservation included) starts again. */
  async succeeded(email: string): Promise<void> {
    await this.#em.execute('delete from login_failures where email_key = ?', [emailKey(email)]);
  }
}
