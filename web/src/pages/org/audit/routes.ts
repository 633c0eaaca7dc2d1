// Org › Audit log: the org's events.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'org',
  routes: [
    {
      path: 'audit',
      name: 'org-audit',
      component: () => import('./List.vue'),
      meta: { title: 'Audit log', nav: navEntry('org', 90, 'Audit log') },
    },
  ],
};
