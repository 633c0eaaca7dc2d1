// Platform › API tokens: platform-scoped tokens and each org's.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'api-tokens',
      name: 'platform-api-tokens',
      component: () => import('./List.vue'),
      meta: { title: 'API tokens', nav: navEntry('platform', 65, 'API tokens') },
    },
  ],
};
