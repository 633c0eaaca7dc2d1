// The provider credentials of the global admin panel: the upstream accounts models route through.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'providers',
      name: 'platform-providers',
      component: () => import('./List.vue'),
      meta: { title: 'Providers', nav: navEntry('platform', 40, 'Providers') },
    },
  ],
};
