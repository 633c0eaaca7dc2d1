// Client-side field rules; the server validates again, these only give faster, friendlier feedback.

export type Rule<V> = (value: V) => string | undefined;

export function required(label: string): Rule<string> {
  return (value) => (value.trim() === '' ? `${label} is required.` : undefined);
}

export function maxLength(label: string, max: number): Rule<string> {
  return (value) => (value.trim().length > max ? `${label} must be at most ${max} characters.` : undefined);
}

// Deliberately loose: one @, something on each side, a dot in the domain. The server has the final word.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function email(value: string): string | undefined {
  return emailPattern.test(value.trim()) ? undefined : 'Enter an email address such as name@example.com.';
}

// Same rule as the control plane: 1-63 characters, starting and ending with a letter or digit.
export const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function slug(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  return slugPattern.test(value.trim())
    ? undefined
    : 'Use lowercase letters, digits and hyphens, starting and ending with a letter or digit, e.g. acme-corp.';
}

/** Longest name the control plane stores for organizations, teams, users and keys. */
export const maxNameLength = 200;

/** Runs rules in order and returns the first message. */
export function all<V>(...rules: Rule<V>[]): Rule<V> {
  return (value) => {
    for (const rule of rules) {
      const message = rule(value);
      if (message) return message;
    }
    return undefined;
  };
}

/** The slug the server derives from a name (the control plane's slugify), shown so admins see what they get. */
export function suggestSlug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}
