// The data-plane fleet of the global admin panel.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'fleet',
      name: 'platform-fleet',
      component: () => import('./List.vue'),
      meta: { title: 'Fleet', nav: navEntry('platform', 90, 'Fleet') },
    },
  ],
};
