// Client rule of the team form, as the control plane checks it: a name of 1-200 characters once trimmed. Uniqueness
// in the org (any case) only the server can tell; its CONFLICT names `input.name` and lands on the same field.
import { maxNameLength } from '../../../validation';

export function teamNameError(value: string): string | undefined {
  const name = value.trim();
  if (name === '') return 'Name is required.';
  if (name.length > maxNameLength) return `Name must be at most ${maxNameLength} characters.`;
  return undefined;
}
