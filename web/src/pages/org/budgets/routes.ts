// The org panel's budgets and rate limits (its reserved menu place, beside usage).
import { type PanelRoutes, reservedNavEntry } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'org',
  routes: [
    {
      path: 'budgets',
      name: 'org-budgets',
      component: () => import('./Budgets.vue'),
      meta: { title: 'Budgets', nav: reservedNavEntry('org', 'budgets') },
    },
  ],
};
