// Names behind the ids that usage answers carry (usage keeps only ids): teams, users, keys, modules and orgs,
// looked up once per id, a few at a time, and shared by every usage page of the session.
import { reactive } from 'vue';
import { request } from '../../graphql/client';
import type { UsageDimension } from '../../graphql/generated/graphql';
import {
  UsageKeyNameQuery,
  UsageModuleNameQuery,
  UsageOrgNameQuery,
  UsageTeamNameQuery,
  UsageUserNameQuery,
} from '../../graphql/operations/usage';
import { isNamedById, noValueLabels } from './usage-dimensions';

export interface UsageName {
  name: string;
  /** A second line: a user's email, a key's prefix, a module's key. */
  sub?: string | null;
  /** The org it belongs to (platform-wide views show it). */
  orgId?: string | null;
  /** Where its own page is (when the UI has one). */
  to?: { name: string; params: Record<string, string> };
  /** Deleted, or out of reach: only the id is known. */
  gone?: boolean;
}

const goneLabels: Partial<Record<UsageDimension, string>> = {
  ORG: 'Deleted organization',
  TEAM: 'Deleted team',
  USER: 'Deleted user',
  KEY: 'Unknown key',
  MODULE: 'Unavailable module',
};

async function lookUp(dimension: UsageDimension, id: string): Promise<UsageName | null> {
  switch (dimension) {
    case 'TEAM': {
      const { team } = await request(UsageTeamNameQuery, { id });
      if (!team) return null;
      return {
        name: team.status === 'SUSPENDED' ? `${team.name} (suspended)` : team.name,
        orgId: team.orgId,
        to: { name: 'org-team', params: { orgId: team.orgId, teamId: team.id } },
      };
    }
    case 'USER': {
      const { user } = await request(UsageUserNameQuery, { id });
      if (!user) return null;
      return {
        name: user.name ?? user.email,
        sub: user.name ? user.email : null,
        orgId: user.orgId,
        to: { name: 'org-user', params: { orgId: user.orgId, userId: user.id } },
      };
    }
    case 'KEY': {
      const { virtualKey: key } = await request(UsageKeyNameQuery, { id });
      if (!key) return null;
      return {
        name: key.name,
        sub: key.status === 'ACTIVE' ? key.prefix : `${key.prefix} · ${key.status.toLowerCase()}`,
        orgId: key.orgId,
        to: { name: 'org-key', params: { orgId: key.orgId, keyId: key.id } },
      };
    }
    case 'MODULE': {
      const { module } = await request(UsageModuleNameQuery, { id });
      if (!module) return null;
      return { name: module.name, sub: module.key, to: { name: 'platform-module', params: { moduleId: module.id } } };
    }
    case 'ORG': {
      const { organization: org } = await request(UsageOrgNameQuery, { id });
      if (!org) return null;
      return { name: org.name, orgId: org.id, to: { name: 'org-usage', params: { orgId: org.id } } };
    }
    default:
      return { name: id };
  }
}

/** `${dimension}:${id}` -> the name; null once it is known to be gone. */
const names = reactive(new Map<string, UsageName | null>());
const pending = new Set<string>();
const queue: [UsageDimension, string][] = [];
let running = 0;
const parallel = 4;

function pump(): void {
  while (running < parallel && queue.length) {
    const [dimension, id] = queue.shift() as [UsageDimension, string];
    const key = `${dimension}:${id}`;
    running += 1;
    lookUp(dimension, id)
      .then((found) => names.set(key, found))
      .catch(() => {
        // Unknown for now (a network error): the id stays visible and a later view asks again.
      })
      .finally(() => {
        pending.delete(key);
        running -= 1;
        pump();
      });
  }
}

/** Starts looking up the names of these values (those not known or asked for yet). */
export function loadUsageNames(dimension: UsageDimension, values: (string | null)[]): void {
  if (!isNamedById(dimension)) return;
  for (const id of new Set(values)) {
    if (!id) continue;
    const key = `${dimension}:${id}`;
    if (names.has(key) || pending.has(key)) continue;
    pending.add(key);
    queue.push([dimension, id]);
  }
  pump();
}

/** The name of a value as the dashboards show it: its name, "No team" for none, the id while loading. */
export function usageName(dimension: UsageDimension, value: string | null): UsageName {
  if (value === null) return { name: noValueLabels[dimension] };
  if (!isNamedById(dimension)) return { name: value };
  const found = names.get(`${dimension}:${value}`);
  if (found === null) return { name: goneLabels[dimension] ?? value, sub: value, gone: true };
  return found ?? { name: value };
}

/** Whether every named value of the list has its name (or is known to be gone): exports wait for it. */
export function namesKnown(dimension: UsageDimension, values: (string | null)[]): boolean {
  if (!isNamedById(dimension)) return true;
  return values.every((v) => v === null || names.has(`${dimension}:${v}`));
}

/**
 * A chart or export group's name: the value's name, or for the rest "Other" — "No team" and the like when the
 * rest is known to be only the usage without a value.
 */
export function groupName(
  dimension: UsageDimension,
  group: { value: string | null; other: boolean },
  restIsNoValue = false,
): string {
  if (!group.other) return usageName(dimension, group.value).name;
  return restIsNoValue ? noValueLabels[dimension] : 'Other';
}
