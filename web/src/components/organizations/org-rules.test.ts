// The organization form's rules mirror the control plane's, so most mistakes are caught before sending.
import { describe, expect, it } from 'vitest';
import { orgNameError, orgSlugError } from './org-rules';

describe('organization rules', () => {
  it('needs a name of at most 200 characters', () => {
    expect(orgNameError('  ')).toBe('Name is required.');
    expect(orgNameError('x'.repeat(201))).toBe('Name must be at most 200 characters.');
    expect(orgNameError('Acme')).toBeUndefined();
  });

  it('accepts an empty slug when one can be derived from the name', () => {
    expect(orgSlugError('', 'Acme Corp', true)).toBeUndefined();
    expect(orgSlugError('', '', true)).toBeUndefined();
    expect(orgSlugError('', '東京', true)).toMatch(/enter one/);
    expect(orgSlugError('', '東京', false)).toBeUndefined();
  });

  it('checks a given slug', () => {
    expect(orgSlugError('acme-corp', 'x', true)).toBeUndefined();
    expect(orgSlugError('Acme Corp', 'x', true)).toMatch(/lowercase letters/);
    expect(orgSlugError('-acme', 'x', false)).toMatch(/lowercase letters/);
  });
});
