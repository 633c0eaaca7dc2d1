// The admin session token, persisted in localStorage so a reload keeps the admin signed in.
import { ref } from 'vue';

const storageKey = 'gw.admin.session';

function read(): string | null {
  try {
    return window.localStorage.getItem(storageKey);
  } catch {
    return null; // storage disabled: the session lives until the tab closes
  }
}

/** Reactive so the layout and router guard react when the session appears or ends. */
export const sessionToken = ref<string | null>(read());

export function setSessionToken(token: string): void {
  sessionToken.value = token;
  try {
    window.localStorage.setItem(storageKey, token);
  } catch {
    // storage disabled: keep the in-memory token only
  }
}

export function clearSessionToken(): void {
  sessionToken.value = null;
  try {
    window.localStorage.removeItem(storageKey);
  } catch {
    // nothing stored
  }
}

// Another tab signing in or out changes this tab's session too.
window.addEventListener('storage', (event) => {
  if (event.key === storageKey) sessionToken.value = event.newValue;
});
