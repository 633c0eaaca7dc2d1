// The model catalogue of the global admin panel: the list, and one model with its prices and deployments.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'models',
      name: 'platform-models',
      component: () => import('./List.vue'),
      meta: { title: 'Models', nav: navEntry('platform', 50, 'Models') },
    },
    {
      path: 'models/:modelId',
      name: 'platform-model',
      component: () => import('./Detail.vue'),
      props: true,
      meta: { title: 'Model', navSection: 'platform-models' },
    },
  ],
};
