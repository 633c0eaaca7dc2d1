// Where switching to another org leads: the same section of the org panel (Users stays Users), since a detail page
// (one user, one key) belongs to the org being left.
import type { RouteLocationNormalizedLoaded, RouteLocationRaw } from 'vue-router';

export function orgSwitchTarget(
  route: Pick<RouteLocationNormalizedLoaded, 'name' | 'meta'>,
  orgId: string,
): RouteLocationRaw {
  const name =
    route.meta.nav?.panel === 'org' && typeof route.name === 'string'
      ? route.name
      : (route.meta.navSection ?? 'org-overview');
  return { name, params: { orgId } };
}
