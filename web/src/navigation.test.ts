import { describe, expect, it } from 'vitest';
import type { RouteRecordNormalized, RouteRecordRaw } from 'vue-router';
import {
  type NavMeta,
  navItems,
  type Panel,
  type PanelRoutes,
  panelAllows,
  reservedNavEntry,
  reservedNavPlaces,
} from './navigation';

// Every page folder's routes, as router.ts collects them.
const declared = Object.values(import.meta.glob<{ panelRoutes: PanelRoutes }>('./pages/**/routes.ts', { eager: true }));
const menuOf = (panel: Panel) =>
  declared
    .flatMap((m) => (m.panelRoutes.panel === panel ? m.panelRoutes.routes : []))
    .filter(
      (r): r is RouteRecordRaw & { name: string; meta: { nav: NavMeta } } =>
        !!r.meta?.nav && typeof r.name === 'string',
    );
const asNormalized = (routes: { name: string; meta: { nav: NavMeta } }[]) =>
  routes as unknown as RouteRecordNormalized[];

describe('the menus keep places for budgets and guardrails', () => {
  it.each(['platform', 'org'] as const)(
    'no %s page takes a reserved place but its own, and no two share a place',
    (panel) => {
      const orders = menuOf(panel).map((r) => r.meta.nav.order);
      expect(orders.length).toBeGreaterThan(5);
      expect(new Set(orders).size).toBe(orders.length);
      for (const [section, place] of Object.entries(reservedNavPlaces[panel])) {
        const taking = menuOf(panel).filter((r) => r.meta.nav.order === place);
        expect(taking.map((r) => r.name).filter((n) => n !== `${panel}-${section}`)).toEqual([]);
      }
    },
  );

  it.each([
    ['platform', 'budgets', 'Usage', 'Modules'],
    ['platform', 'guardrails', 'Models', 'Admins'],
    ['org', 'budgets', 'Usage', 'Teams'],
    ['org', 'guardrails', 'Models', 'Admins'],
  ] as const)('a %s %s page lands between %s and %s', (panel, section, before, after) => {
    // The section's own page once it exists, else a stand-in at its reserved place.
    const page = { name: `${panel}-${section}`, meta: { nav: reservedNavEntry(panel, section) } };
    const others = menuOf(panel).filter((r) => r.name !== page.name);
    const labels = navItems(asNormalized([...others, page]), panel).map((i) => i.label);
    const at = labels.indexOf(page.meta.nav.label);
    expect(labels.slice(at - 1, at + 2)).toEqual([before, page.meta.nav.label, after]);
  });
});

describe('panelAllows', () => {
  const platform = { role: 'PLATFORM_ADMIN', orgId: null };
  const orgAdmin = { role: 'ORG_ADMIN', orgId: 'o1' };
  const viewer = { role: 'ORG_VIEWER', orgId: 'o1' };

  it('lets platform admins open every panel', () => {
    expect(panelAllows(platform, 'platform', undefined)).toBe(true);
    expect(panelAllows(platform, 'org', 'o2')).toBe(true);
  });

  it('keeps org roles out of the platform panel and other orgs, and in their own org', () => {
    for (const admin of [orgAdmin, viewer]) {
      expect(panelAllows(admin, 'platform', undefined)).toBe(false);
      expect(panelAllows(admin, 'org', 'o2')).toBe(false);
      expect(panelAllows(admin, 'org', 'o1')).toBe(true);
      expect(panelAllows(admin, undefined, undefined)).toBe(true);
    }
  });
});
