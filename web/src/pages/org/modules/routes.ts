// The org panel's modules: those enabled for the org, with their model restrictions.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'org',
  routes: [
    {
      path: 'modules',
      name: 'org-modules',
      component: () => import('./List.vue'),
      meta: { title: 'Modules', nav: navEntry('org', 50, 'Modules') },
    },
  ],
};
