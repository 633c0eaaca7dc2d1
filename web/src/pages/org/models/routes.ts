// The org panel's models: the ones the org may use, with their prices.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'org',
  routes: [
    {
      path: 'models',
      name: 'org-models',
      component: () => import('./List.vue'),
      meta: { title: 'Models', nav: navEntry('org', 60, 'Models') },
    },
  ],
};
