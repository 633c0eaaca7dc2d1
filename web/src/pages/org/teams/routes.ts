// The org panel's teams: the list and one team's page (its members and keys).
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'org',
  routes: [
    {
      path: 'teams',
      name: 'org-teams',
      component: () => import('./List.vue'),
      meta: { title: 'Teams', nav: navEntry('org', 20, 'Teams') },
    },
    {
      path: 'teams/:teamId',
      name: 'org-team',
      component: () => import('./Detail.vue'),
      props: true,
      meta: { title: 'Team', navSection: 'org-teams' },
    },
  ],
};
