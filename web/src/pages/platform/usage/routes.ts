// The global admin panel's usage dashboard, across every organization.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'usage',
      name: 'platform-usage',
      component: () => import('./Usage.vue'),
      meta: { title: 'Usage', nav: navEntry('platform', 20, 'Usage') },
    },
  ],
};
