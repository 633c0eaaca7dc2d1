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

/** Whether the secret replaced by the last rotation is still accepted (its grace period has not ended). */
export function previousSecretWorks(validUntil: string | null, now = Date.now()): boolean {
  if (!validUntil) return false;
  const end = new Date(validUntil).getTime();
  return !Number.isNaN(end) && end > now;
}

/** How long until `iso`, roughly: "45 minutes", "5 hours", "6 days" ("less than a minute" at the end). */
export function timeLeft(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}
