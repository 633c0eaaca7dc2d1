// The admin and token form rules: roles per panel, the org an org role needs, password bounds, generated passwords.
import { describe, expect, it } from 'vitest';
import {
  adminEmailError,
  generatePassword,
  grantableRoles,
  orgError,
  passwordError,
  rolesFor,
  tokenNameError,
} from './access-rules';

describe('access rules', () => {
  it('lets only the platform panel grant the platform role', () => {
    expect(grantableRoles({ kind: 'platform' })).toEqual(['PLATFORM_ADMIN', 'ORG_ADMIN', 'ORG_VIEWER']);
    expect(grantableRoles({ kind: 'org', orgId: 'o1' })).toEqual(['ORG_ADMIN', 'ORG_VIEWER']);
  });

  it('keeps platform admins platform admins and org roles org roles', () => {
    expect(rolesFor('PLATFORM_ADMIN')).toEqual(['PLATFORM_ADMIN']);
    expect(rolesFor('ORG_VIEWER')).toEqual(['ORG_ADMIN', 'ORG_VIEWER']);
  });

  it('asks for an organization for org roles only', () => {
    expect(orgError(null, 'ORG_ADMIN')).toMatch(/organization/);
    expect(orgError(null, 'ORG_VIEWER')).toMatch(/organization/);
    expect(orgError(null, 'PLATFORM_ADMIN')).toBeUndefined();
    expect(orgError('o1', 'ORG_ADMIN')).toBeUndefined();
  });

  it('bounds passwords as the server does (12 to 256 characters)', () => {
    expect(passwordError('')).toMatch(/initial password/);
    expect(passwordError('', true)).toBeUndefined();
    expect(passwordError('a'.repeat(11))).toMatch(/at least 12/);
    expect(passwordError('a'.repeat(12))).toBeUndefined();
    expect(passwordError('a'.repeat(256))).toBeUndefined();
    expect(passwordError('a'.repeat(257))).toMatch(/at most 256/);
  });

  it('checks emails and token names', () => {
    expect(adminEmailError('')).toMatch(/required/);
    expect(adminEmailError('not-an-email')).toMatch(/email address/);
    expect(adminEmailError('ada@example.com')).toBeUndefined();
    expect(tokenNameError('  ')).toMatch(/required/);
    expect(tokenNameError('x'.repeat(201))).toMatch(/at most 200/);
    expect(tokenNameError('ci deploy')).toBeUndefined();
  });

  it('generates passwords long enough, from the alphabet only, different each time', () => {
    const a = generatePassword();
    expect(a).toHaveLength(20);
    expect(passwordError(a)).toBeUndefined();
    expect(a).toMatch(/^[A-HJ-NP-Za-km-z2-9]+$/);
    expect(generatePassword()).not.toBe(a);
  });

  it('draws characters uniformly: bytes past the last whole alphabet cycle are skipped', () => {
    // 57 characters: 256 - 256 % 57 = 228, so byte 228 and above are rejected.
    const bytes = [228, 255, 0, 56, 57];
    let call = 0;
    const random = (b: Uint8Array) => {
      b.fill(0);
      if (call++ === 0) b.set(bytes.slice(0, b.length));
      return b;
    };
    expect(generatePassword(3, random)).toBe('A9A');
  });
});
