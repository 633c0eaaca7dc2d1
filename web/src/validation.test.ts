// Client-side rules: what they accept, what they reject, and the slug suggestion.
import { describe, expect, it } from 'vitest';
import { all, email, maxLength, required, slug, suggestSlug } from './validation';

describe('validation rules', () => {
  it('required rejects blank values', () => {
    expect(required('Name')('  ')).toBe('Name is required.');
    expect(required('Name')('Acme')).toBeUndefined();
  });

  it('email accepts ordinary addresses only', () => {
    expect(email('ada@example.com')).toBeUndefined();
    expect(email('ada@example')).toBeDefined();
    expect(email('ada example.com')).toBeDefined();
  });

  it('slug allows empty (server derives it) and kebab-case', () => {
    expect(slug('')).toBeUndefined();
    expect(slug('acme-corp-2')).toBeUndefined();
    expect(slug('acme--corp')).toBeUndefined();
    for (const bad of ['Acme', '-acme', 'acme-', 'acme_corp', 'acme corp', 'a'.repeat(64)])
      expect(slug(bad)).toBeDefined();
  });

  it('all returns the first failing message', () => {
    const rule = all(required('Name'), maxLength('Name', 3));
    expect(rule('')).toBe('Name is required.');
    expect(rule('abcd')).toBe('Name must be at most 3 characters.');
    expect(rule('abc')).toBeUndefined();
  });

  it('suggestSlug folds accents and punctuation into hyphens', () => {
    expect(suggestSlug('  Café Crème & Co. ')).toBe('cafe-creme-co');
  });

  it('suggestSlug stays a valid slug for long names, and is empty when nothing is left', () => {
    const long = suggestSlug(`${'a'.repeat(62)} b`);
    expect(long).toBe('a'.repeat(62));
    expect(slug(long)).toBeUndefined();
    expect(suggestSlug('東京 !!')).toBe('');
  });
});
