// Text PostgreSQL can store: it refuses U+0000 in text and jsonb, and unpaired UTF-16 surrogates in jsonb.
import { z } from 'zod';

/** The first reason `value` cannot be stored as PostgreSQL text, or null when it can. */
export function unstorableTextReason(value: string): string | null {
  if (value.includes('\0')) return 'must not contain the NUL character (U+0000)';
  if (!value.isWellFormed()) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

/**
 * `value` made storable: NUL and unpaired surrogates become U+FFFD, and the text is cut to at most `max` code points
 * (what zod's string limits count), never between the two halves of a surrogate pair.
 */
export function storableText(value: string, max: number): string {
  let text = value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
  if (!text.isWellFormed()) text = text.toWellFormed();
  // Fewer units than the limit are fewer code points too: nothing to count.
  if (text.length <= max) return text;
  let units = 0;
  for (let points = 0; points < max && units < text.length; points++) {
    const code = text.charCodeAt(units);
    // Well-formed by now: a high surrogate is always followed by its low half.
    units += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return text.slice(0, units);
}

/** A zod string of `min` to `max` code points that PostgreSQL can store; the reason never echoes the value. */
export function pgText(max: number, min = 0) {
  return z
    .string()
    .min(min)
    .max(max)
    .superRefine((value, ctx) => {
      const reason = unstorableTextReason(value);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    });
}

/** Offsets PostgreSQL accepts (it refuses displacements of 16 hours or more) and year 0000 (which it has not). */
const storableTimestamp = /^(?!0000)\d{4}-.*(?:Z|[+-](?:0\d|1[0-5]):[0-5]\d)$/i;

/** An ISO-8601 timestamp with offset that PostgreSQL's timestamptz accepts. */
export function pgTimestamp() {
  return z
    .string()
    .datetime({ offset: true })
    .refine((value) => storableTimestamp.test(value), {
      message: 'must be a timestamp between years 0001 and 9999 with an offset under 16 hours',
    });
}
