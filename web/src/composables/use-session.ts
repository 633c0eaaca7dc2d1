// The signed-in admin: sign in, sign out, and who it is (loaded once per session).
import { computed, shallowRef } from 'vue';
import { request } from '../graphql/client';
import { type ApiError, toApiError } from '../graphql/errors';
import { LoginMutation, LogoutMutation, MeQuery } from '../graphql/operations/auth';
import { clearSessionToken, sessionToken, setSessionToken } from '../graphql/session';
import type { AdminUser } from '../graphql/types';

const admin = shallowRef<AdminUser | null>(null);

export function useSession() {
  const signedIn = computed(() => sessionToken.value !== null);

  /** Resolves with undefined on success, or the error to show on the login form. */
  async function signIn(email: string, password: string): Promise<ApiError | undefined> {
    try {
      const { login } = await request(LoginMutation, { email, password });
      setSessionToken(login.token);
      admin.value = login.admin;
      return undefined;
    } catch (e) {
      return toApiError(e);
    }
  }

  async function signOut(): Promise<void> {
    try {
      await request(LogoutMutation, {});
    } catch {
      // The token is dropped locally either way; a failed server-side logout only leaves it to expire.
    }
    clearSessionToken();
    admin.value = null;
  }

  /** Fetches the current admin if not known yet; an expired session surfaces as UNAUTHENTICATED. */
  async function loadAdmin(): Promise<void> {
    if (admin.value || !signedIn.value) return;
    try {
      const { me } = await request(MeQuery, {});
      admin.value = me;
    } catch {
      // UNAUTHENTICATED already redirects to the login page; other failures just leave the name unknown.
    }
  }

  return { admin, signedIn, signIn, signOut, loadAdmin };
}
