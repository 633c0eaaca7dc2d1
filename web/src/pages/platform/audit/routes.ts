// Platform › Audit log: every event.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'audit',
      name: 'platform-audit',
      component: () => import('./List.vue'),
      meta: { title: 'Audit log', nav: navEntry('platform', 80, 'Audit log') },
    },
  ],
};
