// The org panel's users: the list and one user's page.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'org',
  routes: [
    {
      path: 'users',
      name: 'org-users',
      component: () => import('./List.vue'),
      meta: { title: 'Users', nav: navEntry('org', 30, 'Users') },
    },
    {
      path: 'users/:userId',
      name: 'org-user',
      component: () => import('./Detail.vue'),
      props: true,
      meta: { title: 'User', navSection: 'org-users' },
    },
  ],
};
