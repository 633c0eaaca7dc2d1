// Org › Admins: the org's admins, viewers and API tokens.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'org',
  routes: [
    {
      path: 'admins',
      name: 'org-admins',
      component: () => import('./List.vue'),
      meta: { title: 'Admins', nav: navEntry('org', 85, 'Admins') },
    },
  ],
};
