// The org panel's overview page (the other sections bring their own routes.ts).
import { navEntry, type PanelRoutes } from '../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'org',
  routes: [
    {
      path: 'overview',
      name: 'org-overview',
      component: () => import('./Overview.vue'),
      meta: { title: 'Overview', nav: navEntry('org', 10, 'Overview') },
    },
  ],
};
