// Platform › Webhooks: the platform's endpoints, which receive every org's budget alerts.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'webhooks',
      name: 'platform-webhooks',
      component: () => import('./List.vue'),
      meta: { title: 'Webhooks', nav: navEntry('platform', 75, 'Webhooks') },
    },
  ],
};
