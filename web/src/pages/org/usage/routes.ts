// The org panel's usage dashboard.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'org',
  routes: [
    {
      path: 'usage',
      name: 'org-usage',
      component: () => import('./Usage.vue'),
      meta: { title: 'Usage', nav: navEntry('org', 15, 'Usage') },
    },
  ],
};
