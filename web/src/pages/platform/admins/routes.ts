// Platform › Admins: every admin user of the gateway.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'admins',
      name: 'platform-admins',
      component: () => import('./List.vue'),
      meta: { title: 'Admins', nav: navEntry('platform', 60, 'Admins') },
    },
  ],
};
