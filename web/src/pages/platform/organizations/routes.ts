// The organizations pages of the global admin panel.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'organizations',
      name: 'platform-organizations',
      component: () => import('./List.vue'),
      meta: { title: 'Organizations', nav: navEntry('platform', 10, 'Organizations') },
    },
  ],
};
