// Client rules of the organization form, the same as the control plane's: a name up to 200 characters, and a slug
// that is either given (kebab-case, 1-63 characters) or derived from the name.
import { maxNameLength, slug, suggestSlug } from '../../validation';

export function orgNameError(value: string): string | undefined {
  if (value.trim() === '') return 'Name is required.';
  if (value.trim().length > maxNameLength) return `Name must be at most ${maxNameLength} characters.`;
  return undefined;
}

/** `derive`: an empty slug is derived from the name (creating); editing keeps the current slug instead. */
export function orgSlugError(value: string, name: string, derive: boolean): string | undefined {
  if (value.trim() !== '') return slug(value);
  if (derive && name.trim() !== '' && suggestSlug(name) === '')
    return 'No slug can be made from this name: enter one, e.g. acme-corp.';
  return undefined;
}
