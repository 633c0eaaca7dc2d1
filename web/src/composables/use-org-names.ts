// Names of organizations known only by id (admins, tokens and audit events carry an orgId): fetched once per id
// and shared by every page of the panel.
import { type MaybeRefOrGetter, reactive, toValue, watch } from 'vue';
import { request } from '../graphql/client';
import { PlatformOrgNameQuery } from '../graphql/operations/platform-pickers';

/** id -> name; null once the org is known to be gone (deleted, or never existed). */
const names = reactive(new Map<string, string | null>());
const pending = new Set<string>();

async function load(id: string): Promise<void> {
  if (names.has(id) || pending.has(id)) return;
  pending.add(id);
  try {
    const { organization } = await request(PlatformOrgNameQuery, { id });
    names.set(id, organization?.name ?? null);
  } catch {
    // Unknown for now: the page shows the id and a later page view tries again.
  } finally {
    pending.delete(id);
  }
}

export function useOrgNames(ids: MaybeRefOrGetter<(string | null | undefined)[]>) {
  watch(
    () => toValue(ids),
    (list) => {
      for (const id of new Set(list)) if (id) void load(id);
    },
    { immediate: true },
  );
  /** The org's name, "Deleted organization" when it is gone, or the id while loading. */
  return (id: string): string => {
    const name = names.get(id);
    if (name === null) return 'Deleted organization';
    return name ?? id;
  };
}
