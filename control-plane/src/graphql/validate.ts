// Small input checks shared by services; each failure names the input path the caller must fix.
import { badInput } from '../errors.ts';
import { textLimits } from './input-limits.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return uuidPattern.test(value);
}

/** An id in a list filter: BAD_USER_INPUT when it is not a uuid (no row could ever match it). */
export function filterId(field: string, value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (!isUuid(value)) throw badInput(field, `${field.split('.').pop()} is not a valid id`);
  return value;
}

/** Trimmed, non-empty, bounded text (in code points, as graphql/input-limits.ts counts); the trimmed value is stored. */
export function requireText(field: string, value: string, max: number = textLimits.short): string {
  const v = value.trim();
  if (!v) throw badInput(field, `${field.split('.').pop()} must not be empty`);
  if (v.length > max && [...v].length > max) {
    throw badInput(field, `${field.split('.').pop()} must be at most ${max} characters`);
  }
  return v;
}

export function optionalText(
  field: string,
  value: string | null | undefined,
  max: number = textLimits.short,
): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requireText(field, value, max);
}

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function requireEmail(field: string, value: string): string {
  const v = value.trim();
  if (!emailPattern.test(v) || v.length > textLimits.email)
    throw badInput(field, 'email must be a valid email address');
  return v;
}

/** A finite, non-negative price in USD per million tokens. */
export function requirePrice(field: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw badInput(field, `${field.split('.').pop()} must be a number >= 0`);
  if (value > 1_000_000) throw badInput(field, `${field.split('.').pop()} must be at most 1000000`);
  return value;
}
