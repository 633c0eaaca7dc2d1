// The signed-in admin: sign in, sign out, and who it is (loaded once per session), with its role and org.
import { computed, shallowRef } from 'vue';
import { request } from '../graphql/client';
import { type ApiError, toApiError } from '../graphql/errors';
import type { MeQuery as MeResult } from '../graphql/generated/graphql';
import { LoginMutation, LogoutMutation, MeQuery } from '../graphql/operations/session';
import { clearSessionToken, sessionToken, setSessionToken } from '../graphql/session';

export type SignedInAdmin = NonNullable<MeResult['me']>;

const admin = shallowRef<SignedInAdmin | null>(null);

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
  async function loadAdmin(): Promise<SignedInAdmin | null> {
    if (admin.value || !signedIn.value) return admin.value;
    try {
      const { me } = await request(MeQuery, {});
      admin.value = me;
    } catch {
      // UNAUTHENTICATED already redirects to the login page; other failures leave the admin unknown.
    }
    return admin.value;
  }

  return { admin, signedIn, signIn, signOut, loadAdmin };
}
