// The global admin panel's budgets page (its reserved menu place, beside usage).
import { type PanelRoutes, reservedNavEntry } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'platform',
  routes: [
    {
      path: 'budgets',
      name: 'platform-budgets',
      component: () => import('./List.vue'),
      meta: { title: 'Budgets', nav: reservedNavEntry('platform', 'budgets') },
    },
  ],
};
