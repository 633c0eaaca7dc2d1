// The signed-in admin: sign in, sign out, and who it is (loaded once per session), with its role and org.
import { computed, shallowRef } from 'vue';
import { reportUnauthenticated, request } from '../graphql/client';
import { type ApiError, toApiError } from '../graphql/errors';
import type { MeQuery as MeResult } from '../graphql/generated/graphql';
import { LoginMutation, LogoutMutation, MeQuery } from '../graphql/operations/session';
import { clearSessionToken, sessionToken, setSessionToken } from '../graphql/session';

export type SignedInAdmin = NonNullable<MeResult['me']>;

/** The admin, with the token it was loaded for: another tab signing in as someone else makes it stale. */
const loaded = shallowRef<{ token: string; admin: SignedInAdmin } | null>(null);
const admin = computed(() => (loaded.value && loaded.value.token === sessionToken.value ? loaded.value.admin : null));

export function useSession() {
  const signedIn = computed(() => sessionToken.value !== null);

  /** Resolves with undefined on success, or the error to show on the login form. */
  async function signIn(email: string, password: string): Promise<ApiError | undefined> {
    try {
      const { login } = await request(LoginMutation, { email, password });
      setSessionToken(login.token);
      loaded.value = { token: login.token, admin: login.admin };
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
    loaded.value = null;
  }

  /**
   * Fetches the current admin if not known yet. The API answers `me: null` for a token it does not accept
   * (expired, signed out elsewhere, garbage): that ends the session here too, like an UNAUTHENTICATED error.
   * Other failures (network) leave the admin unknown and the token in place.
   */
  async function loadAdmin(): Promise<SignedInAdmin | null> {
    const token = sessionToken.value;
    if (admin.value || !token) return admin.value;
    try {
      const { me } = await request(MeQuery, {});
      if (sessionToken.value !== token) return admin.value; // signed in or out meanwhile
      if (me) loaded.value = { token, admin: me };
      else reportUnauthenticated();
    } catch {
      // UNAUTHENTICATED already ended the session; other failures leave the admin unknown.
    }
    return admin.value;
  }

  return { admin, signedIn, signIn, signOut, loadAdmin };
}
