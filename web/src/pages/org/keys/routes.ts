// The org panel's virtual keys: the list and one key's page.
import { navEntry, type PanelRoutes } from '../../../navigation';

export const panelRoutes: PanelRoutes = {
  panel: 'org',
  routes: [
    {
      path: 'keys',
      name: 'org-keys',
      component: () => import('./List.vue'),
      meta: { title: 'Keys', nav: navEntry('org', 40, 'Keys') },
    },
    {
      path: 'keys/:keyId',
      name: 'org-key',
      component: () => import('./Detail.vue'),
      props: true,
      meta: { title: 'Key', navSection: 'org-keys' },
    },
  ],
};
