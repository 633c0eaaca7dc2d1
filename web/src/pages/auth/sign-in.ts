// What the login page says when a sign-in fails, and where it goes after one succeeds.
import type { ApiError } from '../../graphql/errors';

/** The wait as people say it: "under a minute", "1 minute", "15 minutes". */
export function waitText(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** The form's message for a refused sign-in; the server's wording for wrong credentials is kept. */
export function signInErrorMessage(error: ApiError): string {
  if (error.code === 'TOO_MANY_REQUESTS') {
    const wait = error.retryAfterSeconds ? `Try again in ${waitText(error.retryAfterSeconds)}.` : 'Try again later.';
    return `Too many failed sign-in attempts. ${wait}`;
  }
  if (error.code === 'UNAUTHENTICATED') return 'Invalid email or password.';
  return error.message;
}

/**
 * The page to open after signing in: `next` when it is a path of this app (not `//host/…`, which the browser would
 * read as another site), else the home page, which picks the admin's panel.
 */
export function nextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
