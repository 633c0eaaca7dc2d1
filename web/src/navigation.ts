// The two panels' menus, read from the routes themselves: a page that declares `meta.nav` appears in its panel's
// menu in `order`, so later pages (budgets, guardrails) join by adding a route in their folder's routes.ts.
import type { RouteRecordNormalized, RouteRecordRaw } from 'vue-router';

export type Panel = 'platform' | 'org';

export interface NavMeta {
  panel: Panel;
  label: string;
  order: number;
}

declare module 'vue-router' {
  interface RouteMeta {
    /** Page title (the document title and the page header). */
    title?: string;
    /** Open without a session (the login page). */
    public?: boolean;
    /** The panel this page belongs to; org pages need access to the route's :orgId. */
    panel?: Panel;
    nav?: NavMeta;
    /** For a page outside the menu (one key, one user): the route name of the menu entry it belongs to. */
    navSection?: string;
  }
}

export interface NavItem {
  name: string;
  label: string;
}

export function navItems(routes: RouteRecordNormalized[], panel: Panel): NavItem[] {
  return routes
    .filter((r) => r.meta.nav?.panel === panel && typeof r.name === 'string')
    .sort((a, b) => (a.meta.nav?.order ?? 0) - (b.meta.nav?.order ?? 0))
    .map((r) => ({ name: r.name as string, label: r.meta.nav?.label ?? String(r.name) }));
}

/**
 * What a page folder's `routes.ts` exports as `panelRoutes`: the routes it adds to the global admin panel or to
 * the org panel (router.ts collects them all). New sections (budgets, guardrails) are a folder with a routes.ts.
 */
export interface PanelRoutes {
  panel: Panel;
  routes: RouteRecordRaw[];
}

/**
 * Menu places kept free for the sections the feature issues add (budgets, guardrails): no other page may take
 * them, so each lands where it belongs in its panel's menu (budgets beside usage, guardrails after models) by
 * adding a routes.ts whose entry is `reservedNavEntry(panel, section)`.
 */
export const reservedNavPlaces = {
  platform: { budgets: 25, guardrails: 55 },
  org: { budgets: 17, guardrails: 65 },
} as const satisfies Record<Panel, Record<'budgets' | 'guardrails', number>>;

export type ReservedSection = keyof (typeof reservedNavPlaces)[Panel];

const reservedLabels: Record<ReservedSection, string> = { budgets: 'Budgets', guardrails: 'Guardrails' };

/** The menu entry of a reserved section, at its kept place. */
export const reservedNavEntry = (panel: Panel, section: ReservedSection): NavMeta => ({
  panel,
  label: reservedLabels[section],
  order: reservedNavPlaces[panel][section],
});

/** Shorthand for a page's menu entry. */
export const navEntry = (panel: Panel, order: number, label: string): NavMeta => ({ panel, label, order });

/**
 * Whether an admin may open a page of `panel` (for org pages: of org `orgId`). The router's guard and the links
 * that point across panels share this rule; the API enforces its own on every request.
 */
export function panelAllows(
  admin: { role: string; orgId?: string | null },
  panel: Panel | undefined,
  orgId: unknown,
): boolean {
  if (admin.role === 'PLATFORM_ADMIN' || panel === undefined) return true;
  return panel === 'org' && orgId === admin.orgId;
}
