// Validates a list of public model names (a key's or a module enablement's allow-list) against the models that exist.
import type { Em } from '../../db/orm.ts';
import { badInput } from '../../errors.ts';
import { textLimits } from '../../graphql/input-limits.ts';

/** null = every model. Otherwise 1+ names of existing models, trimmed and de-duplicated (first occurrence kept). */
export async function requireModelNames(
  em: Em,
  field: string,
  names: readonly string[] | null | undefined,
): Promise<string[] | null> {
  if (names === null || names === undefined) return null;
  if (names.length === 0) throw badInput(field, 'allowedModels must name at least one model; use null for every model');
  if (names.length > 500) throw badInput(field, 'allowedModels may name at most 500 models');
  const cleaned = names.map((m) => m.trim());
  const bad = cleaned.findIndex((m) => m === '' || m.length > textLimits.modelName);
  if (bad >= 0) throw badInput(`${field}.${bad}`, `model names must be 1-${textLimits.modelName} characters`);
  const unique = [...new Set(cleaned)];
  const rows = await em.execute<{ name: string }[]>(
    'select name from models where name in (select jsonb_array_elements_text(?::jsonb))',
    [JSON.stringify(unique)],
  );
  const known = new Set(rows.map((r) => r.name));
  const unknown = cleaned.findIndex((m) => !known.has(m));
  if (unknown >= 0) throw badInput(`${field}.${unknown}`, `There is no model named "${cleaned[unknown]}"`);
  return unique;
}
