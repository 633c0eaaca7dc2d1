// The login page's messages for refused sign-ins, and the only places it sends an admin afterwards.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../graphql/errors';
import { nextPath, signInErrorMessage, waitText } from './sign-in';

describe('sign-in messages', () => {
  it('says how long to wait when the server throttles', () => {
    const throttled = (s?: number) =>
      new ApiError('TOO_MANY_REQUESTS', 'Too many failed logins', undefined, undefined, s);
    expect(signInErrorMessage(throttled(900))).toBe('Too many failed sign-in attempts. Try again in 15 minutes.');
    expect(signInErrorMessage(throttled(61))).toBe('Too many failed sign-in attempts. Try again in 2 minutes.');
    expect(signInErrorMessage(throttled())).toBe('Too many failed sign-in attempts. Try again later.');
  });

  it('rounds the wait up to whole minutes', () => {
    expect(waitText(1)).toBe('under a minute');
    expect(waitText(60)).toBe('1 minute');
    expect(waitText(899)).toBe('15 minutes');
  });

  it('names wrong credentials, and passes other errors through', () => {
    expect(signInErrorMessage(new ApiError('UNAUTHENTICATED', 'Invalid email or password'))).toBe(
      'Invalid email or password.',
    );
    expect(signInErrorMessage(new ApiError('NETWORK_ERROR', 'Cannot reach the control plane.'))).toBe(
      'Cannot reach the control plane.',
    );
  });
});

describe('the page after signing in', () => {
  it('follows a path of this app, query and hash included', () => {
    expect(nextPath('/orgs/1/users?search=ada#top')).toBe('/orgs/1/users?search=ada#top');
  });

  it('never leaves the app', () => {
    for (const next of ['//evil.example/x', '/\\evil.example', 'https://evil.example', '', undefined, ['/a']]) {
      expect(nextPath(next)).toBe('/');
    }
  });
});
