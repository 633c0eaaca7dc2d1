// The module catalogue of the global admin panel: the list, and one module with the orgs it is enabled for.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'modules',
      name: 'platform-modules',
      component: () => import('./List.vue'),
      meta: { title: 'Modules', nav: navEntry('platform', 30, 'Modules') },
    },
    {
      path: 'modules/:moduleId',
      name: 'platform-module',
      component: () => import('./Detail.vue'),
      props: true,
      meta: { title: 'Module', navSection: 'platform-modules' },
    },
  ],
};
