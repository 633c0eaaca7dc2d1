// Platform › Billing: default settings, per-org overrides, and the usage CSV export.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'billing',
      name: 'platform-billing',
      component: () => import('./List.vue'),
      meta: { title: 'Billing', nav: navEntry('platform', 70, 'Billing') },
    },
  ],
};
