// Org › Webhooks: where the org's budget alerts are posted. Reached from the org's Budgets page (no menu place of its
// own), so the menu shows it under Budgets.
import type { PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'org',
  routes: [
    {
      path: 'webhooks',
      name: 'org-webhooks',
      component: () => import('./List.vue'),
      meta: { title: 'Webhooks', navSection: 'org-budgets' },
    },
  ],
};
