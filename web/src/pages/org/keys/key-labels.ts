// How a key's owner, models and prefix read in tables and on the key page.

import { userLabel } from '../../../format';
import type { KeyOwnerKind } from '../../../graphql/generated/graphql';

export interface KeyOwnerParts {
  ownerKind: KeyOwnerKind;
  user: { id: string; email: string; name: string | null } | null;
  team: { id: string; name: string } | null;
}

/** "Ada (ada@…)" for a user key, "Team Research" for a team key; the attribution team separately. */
export function ownerText(key: KeyOwnerParts): { owner: string; via: string | null } {
  if (key.ownerKind === 'USER') {
    return {
      owner: key.user ? userLabel(key.user) : 'Deleted user',
      via: key.team ? `via team ${key.team.name}` : null,
    };
  }
  return { owner: key.team ? `Team ${key.team.name}` : 'Deleted team', via: null };
}

/** "Every model" for null, else the names (the first few, then how many more). */
export function modelsText(models: readonly string[] | null, shown = 3): string {
  if (models === null) return 'Every model';
  if (models.length === 0) return 'No model';
  const head = models.slice(0, shown).join(', ');
  return models.length > shown ? `${head} +${models.length - shown}` : head;
}

/** The visible start of a secret, marked as incomplete. */
export function prefixText(prefix: string): string {
  return `${prefix}…`;
}
