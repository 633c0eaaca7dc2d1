// Client rules of the module form: the key is a stable slug, the name short, the description bounded.
import { maxNameLength, slugPattern } from '../../validation';

/** What the edit dialog needs of a module. */
export interface EditedModule {
  id: string;
  key: string;
  name: string;
  description: string | null;
}

export function moduleKeyError(value: string): string | undefined {
  const key = value.trim();
  if (key === '') return 'Key is required.';
  if (!slugPattern.test(key))
    return 'Use 1-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit, e.g. document-analysis.';
  return undefined;
}

export function moduleNameError(value: string): string | undefined {
  if (value.trim() === '') return 'Name is required.';
  if (value.trim().length > maxNameLength) return `Name must be at most ${maxNameLength} characters.`;
  return undefined;
}

export const maxDescriptionLength = 2000;

export function moduleDescriptionError(value: string): string | undefined {
  return value.trim().length > maxDescriptionLength
    ? `Description must be at most ${maxDescriptionLength} characters.`
    : undefined;
}

/** "Every model" for no restriction, else the names, shortened after `max`. */
export function allowedModelsLabel(models: string[] | null | undefined, max = 4): string {
  if (models === null || models === undefined) return 'Every model the organization may use';
  if (models.length === 0) return 'No models';
  if (models.length <= max) return models.join(', ');
  return `${models.slice(0, max).join(', ')} and ${models.length - max} more`;
}
