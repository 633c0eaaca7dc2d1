// The key form's metadata field: JSON text that must be an object of at most 4 KiB (the control plane's rule).

export const maxMetadataBytes = 4096;

export type MetadataResult = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/** Empty text means an empty object; anything else must parse to a JSON object no larger than 4 KiB. */
export function parseMetadata(text: string): MetadataResult {
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof Error ? e.message : '';
    return { ok: false, error: `This is not valid JSON${detail ? ` (${detail})` : ''}.` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: 'Metadata must be a JSON object, e.g. {"costCenter": "R-17"}.' };
  }
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  if (bytes > maxMetadataBytes) {
    return { ok: false, error: `Metadata can be at most ${maxMetadataBytes} bytes of JSON (this is ${bytes}).` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** The text the form starts from: pretty JSON, or nothing for an empty object. */
export function formatMetadata(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return '';
  return JSON.stringify(value, null, 2);
}

export function metadataError(text: string): string | undefined {
  const result = parseMetadata(text);
  return result.ok ? undefined : result.error;
}
